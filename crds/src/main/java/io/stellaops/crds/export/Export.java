package io.stellaops.crds.export;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A bundle of evidence of a selection, with a manifest, checksums and a signed manifest, written to
 * an OCI repository and/or S3 for auditors and offline verification. Namespaced: it exports what
 * its namespace holds.
 */
@Group("stellaops.io")
@Version("v1alpha1")
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".spec.profile")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Digest", jsonPath = ".status.bundle.digest", priority = 1)
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".status.bundle.size",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Export extends CustomResource<ExportSpec, ExportStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("What to export and where to write it. Immutable.")
  @Required
  public ExportSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The bundle written: its digest, size, contents and where it is.")
  public ExportStatus getStatus() {
    return super.getStatus();
  }
}
