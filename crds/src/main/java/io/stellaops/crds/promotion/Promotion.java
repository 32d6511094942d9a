package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A request to move a release into an environment; its status is the promotion state machine. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("promo")
@AdditionalPrinterColumn(name = "Release", jsonPath = ".spec.release")
@AdditionalPrinterColumn(name = "Environment", jsonPath = ".spec.environment")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Promotion extends CustomResource<PromotionSpec, PromotionStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("Which release goes where, and who asked. Immutable after creation.")
  @Required
  public PromotionSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Phase, transitions, gate results, approvals, decision, jobs and evidence.")
  public PromotionStatus getStatus() {
    return super.getStatus();
  }
}
