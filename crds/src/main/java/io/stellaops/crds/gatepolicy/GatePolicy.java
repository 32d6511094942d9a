package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Rules a promotion must pass: CEL expressions over the decision input, plus built-in gates. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("gp")
@AdditionalPrinterColumn(
    name = "Rules",
    jsonPath = ".status.ruleCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class GatePolicy extends CustomResource<GatePolicySpec, GatePolicyStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("The rules and built-in gates of this policy.")
  @Required
  public GatePolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Whether every rule compiled, and the policy digest recorded in evidence.")
  public GatePolicyStatus getStatus() {
    return super.getStatus();
  }
}
