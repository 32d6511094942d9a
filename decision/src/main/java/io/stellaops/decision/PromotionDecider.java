package io.stellaops.decision;

import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.environment.BreakGlassPolicy;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.decision.gates.ApprovalCount;
import io.stellaops.decision.gates.CelInput;
import io.stellaops.decision.gates.FreezeWindowGate;
import io.stellaops.decision.gates.GateResults;
import io.stellaops.decision.gates.PolicyGates;
import io.stellaops.decision.gates.UpstreamGate;
import io.stellaops.supplychain.digest.DigestSet;
import io.stellaops.supplychain.json.CanonicalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a promotion from its recorded inputs. Pure and deterministic: the same input always
 * yields byte-for-byte the same decision, which is what {@code kubectl stella evidence replay}
 * checks.
 */
public final class PromotionDecider {
  private PromotionDecider() {}

  public static Decision decide(DecisionInput in) {
    Instant now = Instant.parse(in.now());
    EnvironmentSpec env = in.environment().spec();
    List<GateResult> gates = new ArrayList<>();

    if (in.release().quarantineReason() != null) {
      gates.add(
          GateResults.failed(
              "quarantine", null, "release is quarantined: " + in.release().quarantineReason()));
    }
    gates.add(digestsGate(in.release()));
    gates.add(UpstreamGate.evaluate(env.upstream(), in.environment().upstreamSucceededAt(), now));

    var subject = subjectOf(in);
    var requester = in.promotion().requestedBy();
    var tally = ApprovalCount.count(env.approvals(), in.approvals(), subject, requester, now);

    FreezeOutcome freeze = freeze(in, subject, now);
    gates.add(freeze.gate());
    ApprovalCount.Tally breakGlassTally = freeze.breakGlassApprovals();

    gates.addAll(PolicyGates.evaluate(env.gatePolicies(), in, CelInput.of(in, tally)));
    gates.add(approvalGate("approvals", tally));
    if (breakGlassTally != null) {
      gates.add(approvalGate("break-glass-approvals", breakGlassTally));
    }

    List<String> reasons =
        gates.stream().filter(GateResults::blocks).map(g -> g.gate() + ": " + g.message()).toList();
    boolean pending = gates.stream().anyMatch(g -> g.result() == GateResult.Outcome.Pending);
    String result =
        !reasons.isEmpty() ? Decision.DENY : pending ? Decision.PENDING : Decision.ALLOW;
    var approvals =
        new Decision.ApprovalTally(
            tally.required(),
            tally.approvedBy(),
            tally.rejectedBy(),
            tally.notCounted(),
            breakGlassTally == null ? 0 : breakGlassTally.required(),
            breakGlassTally == null ? List.of() : breakGlassTally.approvedBy());
    return new Decision(
        result, reasons, gates, approvals, freeze.evaluation(), CanonicalJson.digest(in));
  }

  /** The freeze gate, what it found, and the break-glass approvals when an exemption applies. */
  private record FreezeOutcome(
      GateResult gate,
      Decision.FreezeEvaluation evaluation,
      ApprovalCount.Tally breakGlassApprovals) {}

  private static FreezeOutcome freeze(DecisionInput in, ApprovalSubject subject, Instant now) {
    EnvironmentSpec env = in.environment().spec();
    Optional<FreezeWindowGate.ActiveWindow> window;
    try {
      window = FreezeWindowGate.activeAt(env.freezeWindows(), now);
    } catch (RuntimeException e) {
      return new FreezeOutcome(
          GateResults.error("freeze", e.getMessage()), Decision.FreezeEvaluation.NOT_FROZEN, null);
    }
    if (window.isEmpty()) {
      return new FreezeOutcome(
          GateResults.pass("freeze", "no freeze window in force"),
          Decision.FreezeEvaluation.NOT_FROZEN,
          null);
    }
    var w = window.get();
    String frozen =
        "environment "
            + in.environment().name()
            + " is frozen by window "
            + w.name()
            + " until "
            + w.until();
    BreakGlass breakGlass = in.promotion().breakGlass();
    if (breakGlass == null) {
      String why = w.reason() == null ? "" : " (" + w.reason() + ")";
      return new FreezeOutcome(
          GateResults.failed("freeze", null, frozen + why),
          FreezeWindowGate.evaluation(window, null),
          null);
    }
    BreakGlassPolicy policy = env.breakGlass();
    String type = CanonicalJson.MAPPER.convertValue(breakGlass.type(), String.class);
    if (policy == null || !policy.allowedTypes().contains(breakGlass.type())) {
      String allowed =
          policy == null
              ? ""
              : " (allowed: "
                  + CanonicalJson.MAPPER.convertValue(policy.allowedTypes(), List.class)
                  + ")";
      return new FreezeOutcome(
          GateResults.failed(
              "freeze", null, frozen + " and does not allow break-glass " + type + allowed),
          FreezeWindowGate.evaluation(window, null),
          null);
    }
    var approvals =
        ApprovalCount.count(
            policy.approvals(), in.approvals(), subject, in.promotion().requestedBy(), now);
    return new FreezeOutcome(
        GateResults.pass(
            "freeze",
            frozen + "; exempted by break-glass " + type + ": " + breakGlass.justification()),
        FreezeWindowGate.evaluation(window, type),
        approvals);
  }

  /** Invariant 1: only digests are deployed, so a component without one cannot be promoted. */
  private static GateResult digestsGate(DecisionInput.ReleaseInput release) {
    List<String> unpinned =
        release.components().stream()
            .filter(c -> c.digest() == null)
            .map(DecisionInput.ComponentInput::name)
            .toList();
    if (release.components().isEmpty()) {
      return GateResults.error("digests", "the release has no components");
    }
    return unpinned.isEmpty()
        ? GateResults.pass("digests", "every component is pinned by digest")
        : GateResults.error(
            "digests",
            "not pinned by digest (the tag was not resolved at admission): "
                + String.join(", ", unpinned));
  }

  /** What an approval of this promotion must be bound to. */
  public static ApprovalSubject subjectOf(DecisionInput in) {
    return new ApprovalSubject(
        in.release().name(),
        in.environment().name(),
        DigestSet.hash(
            in.release().components().stream()
                .map(DecisionInput.ComponentInput::digest)
                .filter(java.util.Objects::nonNull)
                .toList()));
  }

  private static GateResult approvalGate(String gate, ApprovalCount.Tally tally) {
    if (!tally.rejectedBy().isEmpty()) {
      return GateResults.failed(gate, null, "rejected by " + String.join(", ", tally.rejectedBy()));
    }
    if (tally.approvedBy().size() >= tally.required()) {
      return GateResults.pass(
          gate,
          tally.required() == 0
              ? "no approvals required"
              : tally.approvedBy().size()
                  + " of "
                  + tally.required()
                  + " approval(s): "
                  + String.join(", ", tally.approvedBy()));
    }
    return GateResults.pending(
        gate,
        "waiting for "
            + (tally.required() - tally.approvedBy().size())
            + " more approval(s) ("
            + tally.approvedBy().size()
            + " of "
            + tally.required()
            + ")");
  }
}
