package io.stellaops.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.crds.promotion.GateResult;
import java.util.List;

/**
 * The outcome of evaluating a promotion. {@code Pending} means every gate allows the promotion but
 * approvals are still missing; {@code allow} and {@code deny} are final.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
    String result,
    List<String> reasons,
    List<GateResult> gates,
    ApprovalTally approvals,
    FreezeEvaluation freeze,
    String inputsHash) {
  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
  public static final String PENDING = "pending";

  public Decision {
    reasons = List.copyOf(reasons);
    gates = List.copyOf(gates);
  }

  /** How the approvals of a promotion counted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApprovalTally(
      int required,
      List<String> approvedBy,
      List<String> rejectedBy,
      List<String> notCounted,
      int breakGlassRequired,
      List<String> breakGlassApprovedBy) {}

  /** Whether the environment was frozen at decision time, and by which window until when. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FreezeEvaluation(boolean frozen, String window, String until, String exemptedBy) {
    public static final FreezeEvaluation NOT_FROZEN = new FreezeEvaluation(false, null, null, null);
  }
}
