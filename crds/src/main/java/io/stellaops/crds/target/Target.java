package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A deployment destination bound to one environment and served by one agent. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("tgt")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Environment", jsonPath = ".spec.environment")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agent")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Target extends CustomResource<TargetSpec, TargetStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("Where and how releases are deployed.")
  @Required
  public TargetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What runs on the target now and whether it drifted from the desired release.")
  public TargetStatus getStatus() {
    return super.getStatus();
  }
}
