package io.stellaops.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.common.BreakGlassType;
import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.common.Identity;
import io.stellaops.crds.environment.ApprovalPolicy;
import io.stellaops.crds.environment.BreakGlassPolicy;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.environment.FreezeWindow;
import io.stellaops.crds.environment.UpstreamPolicy;
import io.stellaops.crds.gatepolicy.BuiltinGates;
import io.stellaops.crds.gatepolicy.GatePolicySpec;
import io.stellaops.crds.gatepolicy.GateRule;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.decision.DecisionInput.ApprovalInput;
import io.stellaops.decision.DecisionInput.ComponentInput;
import io.stellaops.decision.DecisionInput.EnvironmentInput;
import io.stellaops.decision.DecisionInput.PolicyInput;
import io.stellaops.decision.DecisionInput.PromotionInput;
import io.stellaops.decision.DecisionInput.ReleaseInput;
import io.stellaops.supplychain.json.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionDeciderTest {
  private static final String D1 = "sha256:" + "a".repeat(64);
  private static final String D2 = "sha256:" + "b".repeat(64);
  private static final String NOW = "2026-11-23T10:00:00Z"; // a Monday
  private static final Identity DEV =
      new Identity("dev@example.com", null, List.of("shop-developers"));
  private static final Identity ALICE =
      new Identity("alice@example.com", null, List.of("release-managers"));
  private static final Identity BOB =
      new Identity("bob@example.com", null, List.of("release-managers"));
  private static final Identity ONCALL = new Identity("oncall@example.com", null, List.of("sre"));

  private static EnvironmentSpec env(
      UpstreamPolicy upstream,
      ApprovalPolicy approvals,
      List<FreezeWindow> freeze,
      BreakGlassPolicy breakGlass,
      List<String> policies) {
    return new EnvironmentSpec(
        null, upstream, approvals, freeze, breakGlass, policies, false, null, false, 10, null);
  }

  private static ReleaseInput release(String version, String signature) {
    return new ReleaseInput(
        "shop-" + version,
        version,
        List.of(
            new ComponentInput(
                "api",
                "registry.example.com/shop/api",
                D1,
                version,
                signature,
                null,
                "sha256:" + "c".repeat(64),
                null,
                null),
            new ComponentInput(
                "worker",
                "registry.example.com/shop/worker",
                D2,
                version,
                signature,
                null,
                null,
                null,
                null)),
        null);
  }

  private static DecisionInput input(
      EnvironmentSpec spec,
      ReleaseInput release,
      Map<String, String> upstream,
      List<ApprovalInput> approvals,
      List<PolicyInput> policies,
      BreakGlass breakGlass,
      String now) {
    return new DecisionInput(
        new PromotionInput("p1", "shop", DEV, "nightly", breakGlass, "2026-11-23T09:59:00Z"),
        release,
        new EnvironmentInput("prod", spec, upstream),
        approvals,
        policies,
        now);
  }

  private static DecisionInput simple(EnvironmentSpec spec, List<ApprovalInput> approvals) {
    return input(spec, release("1.4.2", "Verified"), Map.of(), approvals, List.of(), null, NOW);
  }

  private static ApprovalInput approval(
      String name, Identity who, String decision, DecisionInput forInput, String createdAt) {
    ApprovalSubject subject = PromotionDecider.subjectOf(forInput);
    return new ApprovalInput(
        name, who, decision, subject, createdAt, decision.equals("reject") ? "no" : null);
  }

  private static GateResult gate(Decision d, String name) {
    return d.gates().stream().filter(g -> g.gate().equals(name)).findFirst().orElseThrow();
  }

  private static final ApprovalPolicy TWO_MANAGERS =
      new ApprovalPolicy(2, null, List.of("release-managers"), false, "8h");

  @Test
  void allowsAPromotionWithNoRules() {
    Decision d = PromotionDecider.decide(simple(env(null, null, null, null, null), List.of()));
    assertThat(d.result()).isEqualTo(Decision.ALLOW);
    assertThat(d.reasons()).isEmpty();
    assertThat(d.inputsHash()).matches("sha256:[a-f0-9]{64}");
  }

  @Test
  void deniesProdBeforeTheReleaseSucceededInStage() {
    var spec =
        env(
            new UpstreamPolicy(List.of("stage"), UpstreamPolicy.Mode.ALL_OF, "24h"),
            null,
            null,
            null,
            null);
    Decision d = PromotionDecider.decide(simple(spec, List.of()));
    assertThat(d.result()).isEqualTo(Decision.DENY);
    assertThat(d.reasons()).containsExactly("upstream: not yet succeeded in stage");
  }

  @Test
  void deniesWhileTheReleaseIsStillSoakingUpstream() {
    var spec =
        env(
            new UpstreamPolicy(List.of("stage"), UpstreamPolicy.Mode.ALL_OF, "24h"),
            null,
            null,
            null,
            null);
    var in =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage", "2026-11-23T08:00:00Z"),
            List.of(),
            List.of(),
            null,
            NOW);
    assertThat(PromotionDecider.decide(in).reasons())
        .containsExactly(
            "upstream: soaking in stage until 2026-11-24T08:00:00Z (24h after success)");
    var later =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage", "2026-11-22T08:00:00Z"),
            List.of(),
            List.of(),
            null,
            NOW);
    assertThat(PromotionDecider.decide(later).result()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void oneOfUpstreamNeedsOnlyOne() {
    var spec =
        env(
            new UpstreamPolicy(List.of("stage-eu", "stage-us"), UpstreamPolicy.Mode.ONE_OF, null),
            null,
            null,
            null,
            null);
    var in =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage-us", "2026-11-22T08:00:00Z"),
            List.of(),
            List.of(),
            null,
            NOW);
    assertThat(PromotionDecider.decide(in).result()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void waitsForApprovalsAndAllowsWhenEnoughArrive() {
    var spec = env(null, TWO_MANAGERS, null, null, null);
    var base = simple(spec, List.of());
    assertThat(PromotionDecider.decide(base).result()).isEqualTo(Decision.PENDING);
    assertThat(gate(PromotionDecider.decide(base), "approvals").message())
        .isEqualTo("waiting for 2 more approval(s) (0 of 2)");

    var one = simple(spec, List.of(approval("a1", ALICE, "approve", base, "2026-11-23T09:00:00Z")));
    assertThat(PromotionDecider.decide(one).result()).isEqualTo(Decision.PENDING);

    var two =
        simple(
            spec,
            List.of(
                approval("a1", ALICE, "approve", base, "2026-11-23T09:00:00Z"),
                approval("a2", BOB, "approve", base, "2026-11-23T09:30:00Z")));
    Decision d = PromotionDecider.decide(two);
    assertThat(d.result()).isEqualTo(Decision.ALLOW);
    assertThat(d.approvals().approvedBy()).containsExactly("alice@example.com", "bob@example.com");
  }

  @Test
  void oneApproverCountsOnce() {
    var spec = env(null, TWO_MANAGERS, null, null, null);
    var base = simple(spec, List.of());
    var twice =
        simple(
            spec,
            List.of(
                approval("a1", ALICE, "approve", base, "2026-11-23T09:00:00Z"),
                approval("a2", ALICE, "approve", base, "2026-11-23T09:30:00Z")));
    assertThat(PromotionDecider.decide(twice).result()).isEqualTo(Decision.PENDING);
  }

  @Test
  void selfApprovalDoesNotCount() {
    var spec =
        env(
            null,
            new ApprovalPolicy(1, null, List.of("shop-developers"), false, null),
            null,
            null,
            null);
    var base = simple(spec, List.of());
    Decision d =
        PromotionDecider.decide(simple(spec, List.of(approval("a1", DEV, "approve", base, NOW))));
    assertThat(d.result()).isEqualTo(Decision.PENDING);
    assertThat(d.approvals().notCounted())
        .containsExactly(
            "a1: dev@example.com requested the promotion and self-approval is not allowed");
  }

  @Test
  void approverOutsideTheAllowListDoesNotCount() {
    var spec = env(null, TWO_MANAGERS, null, null, null);
    var base = simple(spec, List.of());
    Decision d =
        PromotionDecider.decide(
            simple(spec, List.of(approval("a1", ONCALL, "approve", base, NOW))));
    assertThat(d.approvals().notCounted())
        .containsExactly("a1: oncall@example.com is not an allowed approver");
  }

  @Test
  void anExpiredApprovalDoesNotCount() {
    var spec =
        env(
            null,
            new ApprovalPolicy(1, List.of("alice@example.com"), null, false, "8h"),
            null,
            null,
            null);
    var base = simple(spec, List.of());
    Decision d =
        PromotionDecider.decide(
            simple(spec, List.of(approval("a1", ALICE, "approve", base, "2026-11-23T01:00:00Z"))));
    assertThat(d.result()).isEqualTo(Decision.PENDING);
    assertThat(d.approvals().notCounted()).containsExactly("a1: expired at 2026-11-23T09:00:00Z");
  }

  @Test
  void anApprovalOfOtherDigestsDoesNotCount() {
    var spec =
        env(
            null,
            new ApprovalPolicy(1, List.of("alice@example.com"), null, false, null),
            null,
            null,
            null);
    var other =
        input(spec, release("1.4.3", "Verified"), Map.of(), List.of(), List.of(), null, NOW);
    var stale =
        new ApprovalInput("a1", ALICE, "approve", PromotionDecider.subjectOf(other), NOW, null);
    Decision d = PromotionDecider.decide(simple(spec, List.of(stale)));
    assertThat(d.approvals().notCounted())
        .containsExactly("a1: given for another release, environment or set of digests");
  }

  @Test
  void anyRejectionVetoes() {
    var spec = env(null, TWO_MANAGERS, null, null, null);
    var base = simple(spec, List.of());
    var in =
        simple(
            spec,
            List.of(
                approval("a1", ALICE, "approve", base, NOW),
                approval("a2", BOB, "reject", base, NOW)));
    Decision d = PromotionDecider.decide(in);
    assertThat(d.result()).isEqualTo(Decision.DENY);
    assertThat(d.reasons()).containsExactly("approvals: rejected by bob@example.com");
  }

  private static final FreezeWindow BLACK_FRIDAY =
      new FreezeWindow(
          "black-friday",
          "2026-11-20T00:00:00Z",
          "2026-11-30T00:00:00Z",
          null,
          null,
          "UTC",
          "Peak trading.");
  private static final FreezeWindow WEEKEND =
      new FreezeWindow("weekend", null, null, "0 18 * * 5", "62h", "Europe/Berlin", null);

  @Test
  void aFreezeWindowDeniesWithItsNameAndEnd() {
    var spec = env(null, null, List.of(BLACK_FRIDAY), null, null);
    Decision d = PromotionDecider.decide(simple(spec, List.of()));
    assertThat(d.result()).isEqualTo(Decision.DENY);
    assertThat(d.reasons())
        .containsExactly(
            "freeze: environment prod is frozen by window black-friday until 2026-11-30T00:00:00Z (Peak trading.)");
    assertThat(d.freeze().frozen()).isTrue();
  }

  @Test
  void aRecurringWindowFollowsItsTimeZone() {
    var spec = env(null, null, List.of(WEEKEND), null, null);
    // Friday 18:00 in Berlin is 17:00 UTC in winter; the window lasts 62h, until Monday 06:00
    // Berlin.
    var saturday =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of(),
            List.of(),
            List.of(),
            null,
            "2026-11-28T10:00:00Z");
    assertThat(PromotionDecider.decide(saturday).reasons())
        .containsExactly(
            "freeze: environment prod is frozen by window weekend until 2026-11-30T07:00:00Z");
    var fridayBefore =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of(),
            List.of(),
            List.of(),
            null,
            "2026-11-27T16:59:00Z");
    assertThat(PromotionDecider.decide(fridayBefore).result()).isEqualTo(Decision.ALLOW);
    var fridayAt =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of(),
            List.of(),
            List.of(),
            null,
            "2026-11-27T17:00:00Z");
    assertThat(PromotionDecider.decide(fridayAt).result()).isEqualTo(Decision.DENY);
    var mondayAfter =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of(),
            List.of(),
            List.of(),
            null,
            "2026-11-30T07:00:00Z");
    assertThat(PromotionDecider.decide(mondayAfter).result()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void aRollbackBreakGlassPassesTheFreezeOnceItsApproversApprove() {
    var breakGlassPolicy =
        new BreakGlassPolicy(
            List.of(BreakGlassType.ROLLBACK),
            new ApprovalPolicy(1, List.of("oncall@example.com"), null, false, null));
    var spec = env(null, null, List.of(BLACK_FRIDAY), breakGlassPolicy, null);
    var glass = new BreakGlass(BreakGlassType.ROLLBACK, "1.4.2 corrupts baskets; back to 1.4.1");
    var base =
        input(spec, release("1.4.1", "Verified"), Map.of(), List.of(), List.of(), glass, NOW);
    Decision waiting = PromotionDecider.decide(base);
    assertThat(waiting.result()).isEqualTo(Decision.PENDING);
    assertThat(gate(waiting, "freeze").result()).isEqualTo(GateResult.Outcome.Pass);
    assertThat(waiting.freeze().exemptedBy()).isEqualTo("Rollback");

    var approved =
        input(
            spec,
            release("1.4.1", "Verified"),
            Map.of(),
            List.of(approval("bg", ONCALL, "approve", base, NOW)),
            List.of(),
            glass,
            NOW);
    Decision d = PromotionDecider.decide(approved);
    assertThat(d.result()).isEqualTo(Decision.ALLOW);
    assertThat(d.approvals().breakGlassApprovedBy()).containsExactly("oncall@example.com");
  }

  @Test
  void aBreakGlassTypeTheEnvironmentDoesNotAllowIsDenied() {
    var breakGlassPolicy =
        new BreakGlassPolicy(
            List.of(BreakGlassType.ROLLBACK),
            new ApprovalPolicy(1, List.of("oncall@example.com"), null, false, null));
    var spec = env(null, null, List.of(BLACK_FRIDAY), breakGlassPolicy, null);
    var glass = new BreakGlass(BreakGlassType.SECURITY_FIX, "patch for CVE-2026-0001 needed today");
    var in = input(spec, release("1.4.2", "Verified"), Map.of(), List.of(), List.of(), glass, NOW);
    assertThat(PromotionDecider.decide(in).reasons().get(0))
        .contains("does not allow break-glass SecurityFix (allowed: [Rollback])");
  }

  private static PolicyInput policy(String name, GatePolicySpec spec) {
    return new PolicyInput(name, true, CanonicalJson.digest(spec), spec);
  }

  @Test
  void aCelRuleBlocksAndAWarnRuleOnlyRecords() {
    var spec = env(null, null, null, null, List.of("production"));
    var production =
        new GatePolicySpec(
            List.of(
                new GateRule(
                    "no-prereleases",
                    "!release.version.contains('-')",
                    "no pre-releases in prod",
                    GateAction.BLOCK),
                new GateRule(
                    "small", "size(release.components) <= 1", "big release", GateAction.WARN)),
            null);
    var rc =
        input(
            spec,
            release("2.0.0-rc.1", "Verified"),
            Map.of(),
            List.of(),
            List.of(policy("production", production)),
            null,
            NOW);
    Decision d = PromotionDecider.decide(rc);
    assertThat(d.result()).isEqualTo(Decision.DENY);
    assertThat(d.reasons()).containsExactly("production/no-prereleases: no pre-releases in prod");
    assertThat(gate(d, "production/small").result()).isEqualTo(GateResult.Outcome.Warn);

    var ga =
        input(
            spec,
            release("2.0.0", "Verified"),
            Map.of(),
            List.of(),
            List.of(policy("production", production)),
            null,
            NOW);
    assertThat(PromotionDecider.decide(ga).result()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void rulesSeeRequesterApprovalsAndTime() {
    var spec = env(null, null, null, null, List.of("p"));
    var p =
        new GatePolicySpec(
            List.of(
                new GateRule(
                    "requester",
                    "promotion.requestedBy.username.endsWith('@example.com')",
                    "m",
                    GateAction.BLOCK),
                new GateRule(
                    "weekday",
                    "now.getDayOfWeek() >= 1 && now.getDayOfWeek() <= 5",
                    "weekdays only",
                    GateAction.BLOCK),
                new GateRule("approvals", "approvals.required == 0", "m", GateAction.BLOCK)),
            null);
    Decision d =
        PromotionDecider.decide(
            input(
                spec,
                release("1.0.0", "Verified"),
                Map.of(),
                List.of(),
                List.of(policy("p", p)),
                null,
                NOW));
    assertThat(d.reasons()).isEmpty();
  }

  @Test
  void aMissingOrBrokenPolicyFailsClosed() {
    var spec = env(null, null, null, null, List.of("absent", "broken"));
    var broken = new PolicyInput("broken", false, null, new GatePolicySpec(List.of(), null));
    Decision d =
        PromotionDecider.decide(
            input(
                spec,
                release("1.0.0", "Verified"),
                Map.of(),
                List.of(),
                List.of(broken),
                null,
                NOW));
    assertThat(d.result()).isEqualTo(Decision.DENY);
    assertThat(d.reasons())
        .containsExactly(
            "absent: GatePolicy absent does not exist in this namespace",
            "broken: GatePolicy broken is not Ready; see its status conditions");
  }

  @Test
  void builtInGatesCheckSignaturesAndSboms() {
    var spec = env(null, null, null, null, List.of("baseline"));
    var toggle = new BuiltinGates.Toggle(GateAction.BLOCK);
    var baseline = new GatePolicySpec(null, new BuiltinGates(toggle, toggle, null, null));
    Decision d =
        PromotionDecider.decide(
            input(
                spec,
                release("1.0.0", "Failed"),
                Map.of(),
                List.of(),
                List.of(policy("baseline", baseline)),
                null,
                NOW));
    assertThat(d.reasons())
        .containsExactly(
            "baseline/signatures: signature not verified: api, worker",
            "baseline/sbom: no SBOM: worker");
  }

  @Test
  void sameInputsGiveTheSameDecisionBytesAndReplayFromJson() throws Exception {
    var spec =
        env(
            new UpstreamPolicy(List.of("stage"), null, "1h"),
            TWO_MANAGERS,
            List.of(WEEKEND),
            null,
            List.of());
    var base =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage", "2026-11-22T00:00:00Z"),
            List.of(),
            List.of(),
            null,
            NOW);
    var in =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage", "2026-11-22T00:00:00Z"),
            new ArrayList<>(
                List.of(
                    approval("a2", BOB, "approve", base, NOW),
                    approval("a1", ALICE, "approve", base, NOW))),
            List.of(),
            null,
            NOW);
    byte[] first = CanonicalJson.bytes(PromotionDecider.decide(in));
    byte[] recorded = CanonicalJson.bytes(in);
    DecisionInput replayed = CanonicalJson.MAPPER.readValue(recorded, DecisionInput.class);
    assertThat(CanonicalJson.bytes(replayed)).isEqualTo(recorded);
    assertThat(CanonicalJson.bytes(PromotionDecider.decide(replayed))).isEqualTo(first);

    var changed =
        input(
            spec,
            release("1.4.2", "Verified"),
            Map.of("stage", "2026-11-22T00:00:01Z"),
            List.of(),
            List.of(),
            null,
            NOW);
    assertThat(PromotionDecider.decide(changed).inputsHash())
        .isNotEqualTo(PromotionDecider.decide(in).inputsHash());
  }

  @Test
  void aComponentWithoutADigestIsNeverPromoted() {
    var unpinned =
        new ReleaseInput(
            "shop-1.0.0",
            "1.0.0",
            List.of(
                new ComponentInput(
                    "api",
                    "registry.example.com/shop/api",
                    null,
                    "1.0.0",
                    "Verified",
                    null,
                    null,
                    null,
                    null)),
            null);
    Decision d =
        PromotionDecider.decide(
            input(
                env(null, null, null, null, null),
                unpinned,
                Map.of(),
                List.of(),
                List.of(),
                null,
                NOW));
    assertThat(d.reasons())
        .containsExactly(
            "digests: not pinned by digest (the tag was not resolved at admission): api");
  }
}
