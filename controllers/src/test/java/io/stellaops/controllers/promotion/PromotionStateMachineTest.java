package io.stellaops.controllers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.controllers.promotion.PromotionStateMachine.CreateJob;
import io.stellaops.controllers.promotion.PromotionStateMachine.MarkApproval;
import io.stellaops.controllers.promotion.PromotionStateMachine.RecordDecision;
import io.stellaops.controllers.promotion.PromotionStateMachine.RecordEvidence;
import io.stellaops.controllers.promotion.PromotionStateMachine.StartRollback;
import io.stellaops.controllers.promotion.PromotionStateMachine.Step;
import io.stellaops.controllers.promotion.PromotionStateMachine.TimeOutJob;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentStatus;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.digest.DigestSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The promotion state machine without a cluster: observed objects in, status and actions out. */
class PromotionStateMachineTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String D1 = "sha256:" + "1".repeat(64);

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "Release", Release.class,
          "Environment", Environment.class,
          "Target", Target.class,
          "Agent", Agent.class,
          "Promotion", Promotion.class,
          "Approval", Approval.class,
          "GatePolicy", GatePolicy.class);

  /** A namespace's objects, as the controller's caches would hold them. */
  private static final class World implements Observed {
    Promotion promotion;
    DecisionRecord record;
    final Map<String, HasMetadata> objects = new HashMap<>();
    final List<Promotion> promotions = new ArrayList<>();
    AdvisoryFeeds.State feeds = new AdvisoryFeeds.State(List.of(), Map.of());

    World add(String yaml) {
      String kind = yaml.lines().filter(l -> l.startsWith("kind: ")).findFirst().orElseThrow();
      HasMetadata object = YAML.unmarshal(yaml, KINDS.get(kind.substring(6).strip()));
      if (object instanceof Promotion p) {
        promotions.removeIf(q -> q.getMetadata().getName().equals(p.getMetadata().getName()));
        promotions.add(p);
      }
      objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
      return this;
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      return type.cast(objects.get(type.getSimpleName() + "/" + name));
    }

    @Override
    public Promotion promotion() {
      return promotion;
    }

    @Override
    public DecisionRecord decisionRecord() {
      return record;
    }

    @Override
    public List<Approval> approvals() {
      return objects.values().stream()
          .filter(Approval.class::isInstance)
          .map(Approval.class::cast)
          .filter(a -> a.getSpec().promotion().equals(promotion.getMetadata().getName()))
          .toList();
    }

    @Override
    public Release release(String name) {
      return named(Release.class, name);
    }

    @Override
    public Environment environment(String name) {
      return named(Environment.class, name);
    }

    @Override
    public GatePolicy gatePolicy(String name) {
      return named(GatePolicy.class, name);
    }

    @Override
    public List<Promotion> promotionsInto(String environment) {
      return promotions.stream()
          .filter(p -> p.getSpec().environment().equals(environment))
          .toList();
    }

    @Override
    public List<Target> targetsOf(String environment) {
      return objects.values().stream()
          .filter(Target.class::isInstance)
          .map(Target.class::cast)
          .filter(t -> t.getSpec().environment().equals(environment))
          .toList();
    }

    @Override
    public DeploymentJob job(String name) {
      return named(DeploymentJob.class, name);
    }

    @Override
    public Agent agent(String name) {
      return named(Agent.class, name);
    }

    @Override
    public Lease lease(String agent) {
      return null;
    }

    @Override
    public AdvisoryFeeds.State advisoryFeeds() {
      return feeds;
    }

    @Override
    public String defaultIlmClass() {
      return "short";
    }

    /** Takes a step, then lets the world see what it did: status, decision record, jobs. */
    Step step(Instant at) {
      Step step = PromotionStateMachine.next(this, at);
      step.actions().stream()
          .filter(RecordDecision.class::isInstance)
          .forEach(a -> record = ((RecordDecision) a).record());
      step.actions().stream()
          .filter(CreateJob.class::isInstance)
          .map(a -> ((CreateJob) a).job())
          .forEach(job -> {
            job.getMetadata().setCreationTimestamp(at.toString());
            objects.put("DeploymentJob/" + job.getMetadata().getName(), job);
          });
      Promotion next = YAML.clone(promotion);
      next.setStatus(step.status());
      promotion = next;
      promotions.removeIf(p -> p.getMetadata().getName().equals(next.getMetadata().getName()));
      promotions.add(next);
      return step;
    }

    void finishJob(String name, JobPhase phase, String message) {
      DeploymentJob job = named(DeploymentJob.class, name);
      var status = new DeploymentJobStatus();
      status.setPhase(phase);
      status.setMessage(message);
      job.setStatus(status);
    }
  }

  private static World shop(String environmentSpec) {
    World world =
        new World()
            .add(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: Release
                metadata: {name: shop-2, namespace: team, generation: 1}
                spec:
                  version: 2.0.0
                  components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
                status:
                  observedGeneration: 1
                  components: [{name: api, digest: %s, signature: Verified}]
                """
                    .formatted(D1, D1))
            .add(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: Environment
                metadata: {name: prod, namespace: team}
                spec: %s
                """
                    .formatted(environmentSpec))
            .add(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: Target
                metadata: {name: web, namespace: team}
                spec: {environment: prod, agent: edge, type: docker, docker: {}}
                """)
            .add(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: Agent
                metadata: {name: edge, namespace: team}
                spec: {serviceAccountName: edge}
                """);
    world.add(promotion("p1", "shop-2", "2026-11-30T11:59:00Z"));
    world.promotion = world.named(Promotion.class, "p1");
    return world;
  }

  private static String promotion(String name, String release, String created) {
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: Promotion
    metadata: {name: %s, namespace: team, generation: 1, creationTimestamp: "%s"}
    spec: {release: %s, environment: prod, reason: test, requestedBy: {username: bob}}
    """
        .formatted(name, created, release);
  }

  private static List<Phase> phases(Step step) {
    return step.entered().stream().map(Transition::phase).toList();
  }

  @Test
  void anOpenEnvironmentRecordsTheDecisionThenCreatesOneJobPerTarget() {
    World world = shop("{}");

    Step first = world.step(NOW);

    assertThat(phases(first)).containsExactly(Phase.Pending, Phase.Evaluating, Phase.Deploying);
    assertThat(first.actions().getFirst()).isInstanceOf(RecordDecision.class);
    assertThat(first.actions())
        .filteredOn(CreateJob.class::isInstance)
        .singleElement()
        .satisfies(a -> {
          DeploymentJob job = ((CreateJob) a).job();
          assertThat(job.getMetadata().getName()).isEqualTo("p1-web");
          assertThat(job.getSpec().components())
              .singleElement()
              .satisfies(c -> assertThat(c.digest()).isEqualTo(D1));
        });
    assertThat(first.status().getDecision().result()).isEqualTo("allow");
    assertThat(first.status().getReleaseVersion()).isEqualTo("2.0.0");
    assertThat(first.recheck()).isEqualTo(PromotionStateMachine.RECHECK_DEPLOYING);

    world.finishJob("p1-web", JobPhase.SUCCEEDED, "deployed");
    Step done = world.step(NOW.plusSeconds(5));

    assertThat(phases(done)).containsExactly(Phase.Succeeded);
    assertThat(done.actions())
        .singleElement()
        .isInstanceOfSatisfying(
            RecordEvidence.class,
            e -> {
              assertThat(e.ilmClass()).isEqualTo("short");
              assertThat(e.predicate().outcome()).isEqualTo("Succeeded");
              assertThat(e.predicate().jobs())
                  .singleElement()
                  .satisfies(j -> assertThat(j.phase()).isEqualTo("Succeeded"));
            });
    assertThat(done.status().getEvidence()).isEqualTo("p1");
    assertThat(done.recheck()).isNull();

    Step after = world.step(NOW.plusSeconds(60));
    assertThat(after.entered()).isEmpty();
    assertThat(after.actions()).isEmpty();
    assertThat(after.status().getTransitions()).hasSize(4);
  }

  @Test
  void approvalsAreCountedOrToldWhyNot() {
    World world = shop("{approvals: {required: 1, allowedUsers: [alice, bob]}}");

    Step waiting = world.step(NOW);
    assertThat(phases(waiting))
        .containsExactly(Phase.Pending, Phase.Evaluating, Phase.AwaitingApproval);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.recheck()).isEqualTo(PromotionStateMachine.RECHECK_WAITING);

    String subject =
        "{release: shop-2, environment: prod, digestsHash: %s}"
            .formatted(DigestSet.hash(List.of(D1)));
    world.add(approval("by-bob", "bob", subject)).add(approval("by-alice", "alice", subject));
    Step approved = world.step(NOW.plusSeconds(10));

    assertThat(approved.actions())
        .filteredOn(MarkApproval.class::isInstance)
        .extracting(a -> (MarkApproval) a)
        .satisfiesExactlyInAnyOrder(
            m -> {
              assertThat(m.approval().getMetadata().getName()).isEqualTo("by-alice");
              assertThat(m.status().getCounted()).isTrue();
            },
            m -> {
              assertThat(m.approval().getMetadata().getName()).isEqualTo("by-bob");
              assertThat(m.status().getCounted()).isFalse();
              assertThat(m.status().getReason()).isEqualTo("SelfApproval");
              assertThat(m.status().getConditions())
                  .filteredOn(c -> c.type().equals(ConditionTypes.STALLED))
                  .singleElement()
                  .satisfies(c -> assertThat(c.message()).contains("self-approval"));
            });
    assertThat(phases(approved)).containsExactly(Phase.Deploying);
  }

  private static String approval(String name, String user, String subject) {
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: Approval
    metadata: {name: %s, namespace: team, generation: 1, creationTimestamp: "2026-11-30T12:00:05Z"}
    spec: {promotion: p1, decision: approve, approver: {username: %s}, subject: %s}
    """
        .formatted(name, user, subject);
  }

  @Test
  void aPromotionQueuesBehindAnEarlierOneAndRecordsNothing() {
    World world = shop("{}");
    world.add(promotion("p0", "shop-2", "2026-11-30T11:00:00Z"));

    Step queued = world.step(NOW);

    assertThat(phases(queued)).containsExactly(Phase.Pending);
    assertThat(queued.actions()).isEmpty();
    assertThat(queued.status().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.RECONCILING))
        .singleElement()
        .satisfies(c ->
            assertThat(c.message())
                .isEqualTo(
                    "queued: another promotion into prod goes first (its Environment's"
                        + " status.activePromotion names it)"));
  }

  @Test
  void anAbandonedJobIsTimedOutThroughTheJobNotAssumed() {
    World world = shop("{}");
    world.step(NOW);

    Step later = world.step(NOW.plus(Duration.ofMinutes(2)));

    assertThat(later.actions())
        .singleElement()
        .isInstanceOfSatisfying(
            TimeOutJob.class,
            t -> {
              assertThat(t.job()).isEqualTo("p1-web");
              assertThat(t.message())
                  .contains("agent edge has never connected")
                  .contains("nothing was deployed");
            });
    assertThat(later.status().getPhase()).isEqualTo(Phase.Deploying);
  }

  @Test
  void aFailedDeploymentRollsBackAndIsRolledBackWhenTheRollbackSucceeds() {
    World world = shop("{rollbackOnFailure: true}");
    var env = world.named(Environment.class, "prod");
    var envStatus = new EnvironmentStatus();
    envStatus.setCurrent(new DeployedRelease("shop-1", "1.0.0", "p-old", "2026-11-29T10:00:00Z"));
    env.setStatus(envStatus);
    world.step(NOW);
    world.finishJob("p1-web", JobPhase.FAILED, "container exited 1");

    Step failed = world.step(NOW.plusSeconds(5));

    assertThat(phases(failed)).containsExactly(Phase.Failed);
    assertThat(failed.actions())
        .filteredOn(StartRollback.class::isInstance)
        .singleElement()
        .satisfies(a -> {
          Promotion rollback = ((StartRollback) a).rollback();
          assertThat(rollback.getMetadata().getName()).isEqualTo("p1-rollback");
          assertThat(rollback.getSpec().release()).isEqualTo("shop-1");
          assertThat(rollback.getMetadata().getAnnotations())
              .containsEntry(AutoRollback.ROLLBACK_OF, "p1");
        });
    assertThat(failed.status().getDecision().reasons()).isEmpty();

    Promotion rollback = ((StartRollback) failed.actions().getLast()).rollback();
    var rolledBack = YAML.clone(rollback);
    var status = new io.stellaops.crds.promotion.PromotionStatus();
    status.setPhase(Phase.Succeeded);
    rolledBack.setStatus(status);
    world.promotions.add(rolledBack);

    Step restored = world.step(NOW.plusSeconds(60));

    assertThat(phases(restored)).containsExactly(Phase.RolledBack);
    assertThat(restored.status().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.STALLED))
        .singleElement()
        .satisfies(c ->
            assertThat(c.message())
                .isEqualTo("prod was rolled back to shop-1 by promotion p1-rollback"));
    assertThat(restored.actions()).isEmpty();
  }

  @Test
  void aMissingReleaseStallsWithoutDeciding() {
    World world = shop("{}");
    world.objects.remove("Release/shop-2");

    Step step = world.step(NOW);

    assertThat(step.actions()).isEmpty();
    assertThat(step.recheck()).isEqualTo(PromotionStateMachine.RECHECK_MISSING);
    assertThat(step.status().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.STALLED))
        .singleElement()
        .satisfies(c ->
            assertThat(c.message()).isEqualTo("Release shop-2 does not exist in namespace team"));
  }

  @Test
  void aReleaseNotYetVerifiedIsWaitedForNotDenied() {
    World world = shop("{}");
    world.named(Release.class, "shop-2").setStatus(null);

    Step step = world.step(NOW);

    assertThat(phases(step)).containsExactly(Phase.Pending);
    assertThat(step.actions()).isEmpty();
    assertThat(step.recheck()).isEqualTo(PromotionStateMachine.RECHECK_UNSETTLED);
    assertThat(step.status().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.RECONCILING))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.reason()).isEqualTo("InputsUnsettled");
          assertThat(c.message()).startsWith("Release shop-2 is not verified yet");
        });
  }

  /**
   * Just after a restart the feed controller has loaded one feed of two: gating the findings of the
   * other feed's advisories then would allow what it would deny. The promotion waits for every
   * feed, then for the release to be matched against all of them, and only then is decided.
   */
  @Test
  void findingsAreGatedOnlyOnceEveryFeedIsLoadedAndMatched() throws Exception {
    World world = shop("{gatePolicies: [security]}");
    world.add(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: security, namespace: team, generation: 1}
        spec: {builtins: {vulnerabilities: {maxSeverity: high, action: block}}}
        """);
    Step compiling = world.step(NOW.minusSeconds(5));
    assertThat(reconciling(compiling))
        .isEqualTo(
            "GatePolicy security is not compiled yet (its controller has not observed generation"
                + " 1)");
    world.add(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: security, namespace: team, generation: 1}
        spec: {builtins: {vulnerabilities: {maxSeverity: high, action: block}}}
        status:
          observedGeneration: 1
          conditions:
            - {type: Ready, status: "True", reason: Compiled, message: compiled,
               observedGeneration: 1, lastTransitionTime: "2026-11-30T11:00:00Z"}
        """);
    var small = loaded("small", "a");
    var critical = loaded("critical", "b");
    world.add(releaseWithFindings(small.label(), "[]"));
    world.feeds =
        new AdvisoryFeeds.State(List.of(small), Map.of("critical", AdvisoryFeeds.NOT_LOADED_YET));

    Step loading = world.step(NOW);

    assertThat(loading.actions()).isEmpty();
    assertThat(loading.status().getDecision()).isNull();
    assertThat(reconciling(loading))
        .isEqualTo(
            "waiting for AdvisoryFeed snapshots: critical (not loaded yet by this operator);"
                + " findings matched without them would miss their advisories");

    world.feeds = new AdvisoryFeeds.State(List.of(critical, small), Map.of());
    Step matching = world.step(NOW.plusSeconds(5));

    assertThat(matching.actions()).isEmpty();
    assertThat(reconciling(matching))
        .contains("were matched against " + small.label())
        .endsWith("waiting for the release controller to match them again");

    String both = AdvisoryFeeds.label(List.of(critical, small));
    world.add(
        releaseWithFindings(
            both,
            "[{id: GHSA-4446-656p-f54g, severity: critical,"
                + " purl: \"pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59\"}]"));
    Step decided = world.step(NOW.plusSeconds(10));

    assertThat(phases(decided)).contains(Phase.Denied);
    assertThat(decided.status().getDecision().reasons())
        .singleElement()
        .asString()
        .contains("GHSA-4446-656p-f54g critical");
  }

  private static String reconciling(Step step) {
    return step.status().getConditions().stream()
        .filter(c -> c.type().equals(ConditionTypes.RECONCILING))
        .findFirst()
        .orElseThrow()
        .message();
  }

  private static AdvisoryFeeds.Loaded loaded(String feed, String digit) throws Exception {
    return new AdvisoryFeeds.Loaded(
        feed,
        io.stellaops.supplychain.advisory.AdvisoryIndex.of(List.of(), "sha256:" + digit.repeat(64)),
        io.stellaops.supplychain.findings.VexStatements.none(),
        null,
        "2026-11-30T11:00:00Z");
  }

  private static String releaseWithFindings(String feeds, String open) {
    int critical = open.contains("critical") ? 1 : 0;
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: Release
    metadata: {name: shop-2, namespace: team, generation: 1}
    spec:
      version: 2.0.0
      components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
    status:
      observedGeneration: 1
      matchedFeeds: "%s"
      components:
        - name: api
          digest: %s
          signature: Verified
          sbomDigest: sha256:%s
          findings: {checked: 1, critical: %d, high: 0, medium: 0, low: 0, unknown: 0,
                     suppressed: 0, feedDigest: "%s", open: %s}
    """
        .formatted(D1, feeds, D1, "5".repeat(64), critical, feeds, open);
  }
}
