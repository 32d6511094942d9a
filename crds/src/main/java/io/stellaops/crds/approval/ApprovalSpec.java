package io.stellaops.crds.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.Identity;

/** An approve/reject decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "Approval spec is immutable; create a new Approval",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.decision == 'approve' || (has(self.comment) && size(self.comment) > 0)",
    message = "a rejection needs a comment saying why",
    fieldPath = ".comment",
    reason = "FieldValueRequired")
public record ApprovalSpec(
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("The Promotion (same namespace) this decision is about.")
        String promotion,
    @Required @JsonPropertyDescription("approve or reject. Any reject vetoes the promotion.")
        Verdict decision,
    @Size(max = 2048) @JsonPropertyDescription("Why; required for a reject.") String comment,
    @JsonPropertyDescription(
            "Who decided. Stamped by the admission webhook from the authenticated request; a client-supplied value is rejected.")
        Identity approver,
    @JsonPropertyDescription(
            "What was approved: stamped by the admission webhook from the promotion, so the approval cannot count for other digests or another environment.")
        ApprovalSubject subject) {

  /** An approver's verdict. */
  public enum Verdict {
    @JsonProperty("approve")
    APPROVE,
    @JsonProperty("reject")
    REJECT
  }
}
