package io.stellaops.crds.approval;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One approver's approve or reject of one promotion. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("appr")
@AdditionalPrinterColumn(name = "Promotion", jsonPath = ".spec.promotion")
@AdditionalPrinterColumn(name = "Decision", jsonPath = ".spec.decision")
@AdditionalPrinterColumn(name = "Approver", jsonPath = ".spec.approver.username")
@AdditionalPrinterColumn(
    name = "Counted",
    jsonPath = ".status.counted",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Approval extends CustomResource<ApprovalSpec, ApprovalStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("The approver's decision on a promotion. Immutable after creation.")
  @Required
  public ApprovalSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Whether the approval counts, and if not, why.")
  public ApprovalStatus getStatus() {
    return super.getStatus();
  }
}
