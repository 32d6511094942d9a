package io.stellaops.decision.gates;

import com.google.protobuf.Timestamp;
import io.stellaops.decision.DecisionInput;
import io.stellaops.supplychain.json.CelValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables gate rules see, built from a decision input (documented in docs/policy.md). */
public final class CelInput {
  private CelInput() {}

  public static Map<String, Object> of(DecisionInput in, ApprovalCount.Tally approvals) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(DecisionInputVariables.RELEASE, CelValues.tree(in.release()));
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("name", in.environment().name());
    environment.put("upstreamSucceededAt", CelValues.tree(in.environment().upstreamSucceededAt()));
    vars.put(DecisionInputVariables.ENVIRONMENT, environment);
    vars.put(DecisionInputVariables.PROMOTION, CelValues.tree(in.promotion()));
    vars.put(
        DecisionInputVariables.APPROVALS,
        Map.of(
            "required", (long) approvals.required(),
            "approvedBy", approvals.approvedBy(),
            "rejectedBy", approvals.rejectedBy()));
    Instant now = Instant.parse(in.now());
    vars.put(
        DecisionInputVariables.NOW,
        Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build());
    return vars;
  }
}
