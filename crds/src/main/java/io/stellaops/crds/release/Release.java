package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An immutable bundle of component images, each pinned to a digest. CI creates it; the admission
 * webhook resolves tags to digests and checks signatures against TrustPolicies.
 */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("rel")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version")
@AdditionalPrinterColumn(
    name = "Verified",
    jsonPath = ".status.conditions[?(@.type==\"Verified\")].status")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Release extends CustomResource<ReleaseSpec, ReleaseStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription(
      "What the release is: a version and its component images. Immutable after creation.")
  @Required
  public ReleaseSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the controllers found: per-component digests, signatures, SBOMs and findings.")
  public ReleaseStatus getStatus() {
    return super.getStatus();
  }
}
