package io.stellaops.crds.advisoryfeed;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An offline vulnerability snapshot (OSV) and VEX documents. Cluster-scoped. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("af")
@AdditionalPrinterColumn(name = "Snapshot", jsonPath = ".status.snapshotDigest")
@AdditionalPrinterColumn(
    name = "Advisories",
    jsonPath = ".status.advisories",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AdvisoryFeed extends CustomResource<AdvisoryFeedSpec, AdvisoryFeedStatus> {
  @Override
  @JsonPropertyDescription("Where the advisory snapshot and VEX documents come from.")
  @Required
  public AdvisoryFeedSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The loaded snapshot: digest, counts and load time.")
  public AdvisoryFeedStatus getStatus() {
    return super.getStatus();
  }
}
