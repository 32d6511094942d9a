package io.stellaops.decision.gates;

import com.google.protobuf.Timestamp;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.stellaops.decision.DecisionInput;
import io.stellaops.supplychain.json.CelValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables a gate rule sees, built from a decision input (documented in docs/policy.md), and
 * their types: rules are checked against them, so a typo or a type mismatch is reported when the
 * policy is applied, not when a promotion is evaluated.
 */
public final class CelInput {
  /** {@code release}: the release as verified, {@link DecisionInput.ReleaseInput}. */
  public static final String RELEASE = "release";

  /** {@code environment}: its name and when the release succeeded in each upstream. */
  public static final String ENVIRONMENT = "environment";

  /** {@code promotion}: the request, {@link DecisionInput.PromotionInput}. */
  public static final String PROMOTION = "promotion";

  /** {@code approvals}: required, approvedBy, rejectedBy. */
  public static final String APPROVALS = "approvals";

  /** {@code now}: the decision time, a timestamp recorded in the evidence. */
  public static final String NOW = "now";

  /** The {@code environment} variable. */
  record EnvironmentVariable(String name, Map<String, String> upstreamSucceededAt) {}

  /** The {@code approvals} variable: who approved and rejected in a way that counts. */
  record ApprovalsVariable(long required, List<String> approvedBy, List<String> rejectedBy) {}

  private CelInput() {}

  /** Every variable with its CEL type. */
  static Map<String, CelType> declarations(CelTypes types) {
    Map<String, CelType> vars = new LinkedHashMap<>();
    vars.put(RELEASE, types.of(DecisionInput.ReleaseInput.class));
    vars.put(ENVIRONMENT, types.of(EnvironmentVariable.class));
    vars.put(PROMOTION, types.of(DecisionInput.PromotionInput.class));
    vars.put(APPROVALS, types.of(ApprovalsVariable.class));
    vars.put(NOW, SimpleType.TIMESTAMP);
    return vars;
  }

  public static Map<String, Object> of(DecisionInput in, ApprovalCount.Tally approvals) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(RELEASE, CelValues.tree(in.release()));
    vars.put(
        ENVIRONMENT,
        CelValues.tree(
            new EnvironmentVariable(
                in.environment().name(), in.environment().upstreamSucceededAt())));
    vars.put(PROMOTION, CelValues.tree(in.promotion()));
    vars.put(
        APPROVALS,
        CelValues.tree(
            new ApprovalsVariable(
                approvals.required(), approvals.approvedBy(), approvals.rejectedBy())));
    Instant now = Instant.parse(in.now());
    vars.put(
        NOW,
        Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build());
    return vars;
  }
}
