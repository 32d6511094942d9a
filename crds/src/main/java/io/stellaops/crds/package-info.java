/**
 * The {@code stellaops.io/v1alpha1} API. One package per kind; shared value types live in {@link
 * io.stellaops.crds.common}. These classes hold no logic: the CRD YAML under {@code crds/generated}
 * is generated from their annotations, so a field's description and validation live beside it.
 */
package io.stellaops.crds;
