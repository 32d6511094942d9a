package io.stellaops.controllers.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.StellaStatus;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.decision.DecisionInput;
import io.stellaops.decision.PromotionDecider;
import io.stellaops.supplychain.digest.DigestSet;
import io.stellaops.supplychain.json.CanonicalJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Promotions through dev → stage on a real kube-apiserver, with the real controllers. */
@EnableKubeAPIServer
class PromotionFlowIT {
  static final String NS = "shop";
  static final String SYSTEM = PromotionTestSupport.SYSTEM;
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static KubernetesClient client;
  static Operator operator;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec:
          upstream: {environments: [dev]}
          approvals: {required: 1, allowedUsers: [alice@example.com]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: stage-docker}
        spec: {environment: stage, type: docker, agent: edge-01, docker: {}}
        """);
    operator = startOperator();
  }

  static Operator startOperator() {
    return PromotionTestSupport.startOperator(client);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  static void apply(String yaml) {
    PromotionTestSupport.apply(client, NS, yaml);
  }

  static void release(String name) {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 1.4.2
          components:
            - {name: api, image: registry.example.com/shop/api, tag: 1.4.2, digest: %s}
            - {name: worker, image: registry.example.com/shop/worker, tag: 1.4.2, digest: %s}
        """
            .formatted(name, D1, D2));
  }

  static void promote(String name, String release, String environment) {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: %s, reason: test}
        """
            .formatted(name, release, environment));
  }

  static Promotion awaitPhase(String name, Phase phase) {
    return PromotionTestSupport.awaitPhase(client, NS, name, phase);
  }

  static List<DeploymentJob> jobsOf(String promotion) {
    return PromotionTestSupport.jobsOf(client, NS, promotion);
  }

  static void completeJobs(String promotion) {
    PromotionTestSupport.completeJobs(client, NS, promotion);
  }

  static JsonNode verifiedStatement(String packetName) {
    return PromotionTestSupport.verifiedStatement(client, NS, packetName);
  }

  @Test
  void deniesStageBeforeDevSucceededAndSignsTheDenial() throws Exception {
    release("shop-a");
    promote("shop-a-to-stage", "shop-a", "stage");
    Promotion denied = awaitPhase("shop-a-to-stage", Phase.Denied);
    assertThat(denied.getStatus().getDecision().reasons())
        .containsExactly("upstream: not yet succeeded in dev");
    assertThat(denied.getStatus().getTransitions())
        .extracting(t -> t.phase())
        .containsExactly(Phase.Pending, Phase.Evaluating, Phase.Denied);
    assertThat(jobsOf("shop-a-to-stage")).isEmpty();
    assertThat(denied.getStatus().getEvidence()).isEqualTo("shop-a-to-stage");

    JsonNode statement = verifiedStatement("shop-a-to-stage");
    assertThat(statement.get("predicateType").asText())
        .isEqualTo("https://stellaops.io/attestations/promotion/v1");
    assertThat(statement.at("/predicate/decision/result").asText()).isEqualTo("deny");
    assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo("1".repeat(64));

    // Replay: the recorded inputs decide the same, byte for byte.
    var inputs =
        CanonicalJson.MAPPER.treeToValue(statement.at("/predicate/inputs"), DecisionInput.class);
    assertThat(CanonicalJson.bytes(PromotionDecider.decide(inputs)))
        .isEqualTo(CanonicalJson.bytes(statement.at("/predicate/decision")));
    assertThat(denied.getStatus().getDecision().inputsHash())
        .isEqualTo(CanonicalJson.digest(inputs));

    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(ev -> {
          assertThat(ev.getInvolvedObject().getName()).isEqualTo("shop-a-to-stage");
          assertThat(ev.getReason()).isEqualTo("Denied");
          assertThat(ev.getType()).isEqualTo("Warning");
        });
  }

  @Test
  void promotesThroughDevAndStageWithAnApproval() throws Exception {
    release("shop-b");
    promote("shop-b-to-dev", "shop-b", "dev");
    awaitPhase("shop-b-to-dev", Phase.Deploying);
    var jobs = jobsOf("shop-b-to-dev");
    assertThat(jobs)
        .singleElement()
        .satisfies(j -> {
          assertThat(j.getMetadata().getName()).isEqualTo("shop-b-to-dev-dev-docker");
          assertThat(j.getSpec().agent()).isEqualTo("edge-01");
          assertThat(j.getSpec().components()).extracting(c -> c.digest()).containsExactly(D1, D2);
        });
    completeJobs("shop-b-to-dev");
    Promotion dev = awaitPhase("shop-b-to-dev", Phase.Succeeded);
    assertThat(dev.getStatus().getJobs())
        .singleElement()
        .extracting(j -> j.phase())
        .isEqualTo("Succeeded");
    awaitCurrent("dev", "shop-b");
    assertThat(verifiedStatement("shop-b-to-dev").at("/predicate/outcome").asText())
        .isEqualTo("Succeeded");

    promote("shop-b-to-stage", "shop-b", "stage");
    Promotion waiting = awaitPhase("shop-b-to-stage", Phase.AwaitingApproval);
    assertThat(waiting.getStatus().getGates())
        .anySatisfy(g -> {
          assertThat(g.gate()).isEqualTo("approvals");
          assertThat(g.result()).isEqualTo(GateResult.Outcome.Pending);
        });
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Approval
        metadata: {name: shop-b-to-stage-alice}
        spec:
          promotion: shop-b-to-stage
          decision: approve
          approver: {username: alice@example.com}
          subject: {release: shop-b, environment: stage, digestsHash: %s}
        """
            .formatted(DigestSet.hash(List.of(D1, D2))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "shop-b-to-stage".equals(environment("stage").getStatus().getActivePromotion()));
    awaitPhase("shop-b-to-stage", Phase.Deploying);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var approval =
              client
                  .resources(Approval.class)
                  .inNamespace(NS)
                  .withName("shop-b-to-stage-alice")
                  .get();
          assertThat(approval.getStatus().getCounted()).isTrue();
          assertThat(approval.getStatus().getConditions())
              .anySatisfy(c -> assertThat(c.reason()).isEqualTo("Counted"));
        });
    completeJobs("shop-b-to-stage");
    Promotion stage = awaitPhase("shop-b-to-stage", Phase.Succeeded);
    assertThat(stage.getStatus().getApprovals().approvedBy()).containsExactly("alice@example.com");
    assertThat(stage.getStatus().getTransitions())
        .extracting(t -> t.phase())
        .containsExactly(
            Phase.Pending,
            Phase.Evaluating,
            Phase.AwaitingApproval,
            Phase.Deploying,
            Phase.Succeeded);
  }

  @Test
  void aRestartedOperatorNeitherDecidesNorDeploysTwice() throws Exception {
    release("shop-c");
    promote("shop-c-to-dev", "shop-c", "dev");
    Promotion before = awaitPhase("shop-c-to-dev", Phase.Deploying);
    var record = client.configMaps().inNamespace(NS).withName("shop-c-to-dev-decision").get();

    operator.stop();
    operator = startOperator();
    Thread.sleep(2000);

    assertThat(jobsOf("shop-c-to-dev")).hasSize(1);
    assertThat(
            client.configMaps().inNamespace(NS).withName("shop-c-to-dev-decision").get().getData())
        .isEqualTo(record.getData());
    completeJobs("shop-c-to-dev");
    Promotion after = awaitPhase("shop-c-to-dev", Phase.Succeeded);
    assertThat(after.getStatus().getDecision().inputsHash())
        .isEqualTo(before.getStatus().getDecision().inputsHash());
    assertThat(client.resources(EvidencePacket.class).inNamespace(NS).list().getItems())
        .filteredOn(p -> p.getSpec().promotion().equals("shop-c-to-dev"))
        .singleElement()
        .satisfies(p ->
            // what the job reported it deployed from, by digest, beside the signed predicate's
            assertThat(p.getSpec().artifacts())
                .singleElement()
                .satisfies(a -> {
                  assertThat(a.name()).endsWith("/sticker.json");
                  assertThat(a.digest())
                      .isEqualTo(
                          io.stellaops.supplychain.digest.Sha256.digest(
                              jobsOf("shop-c-to-dev")
                                  .getFirst()
                                  .getMetadata()
                                  .getName()
                                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }));
    assertThat(verifiedStatement("shop-c-to-dev").at("/predicate/jobs/0/artifacts/0/name").asText())
        .isEqualTo("sticker.json");
    assertThat(after.getStatus().getTransitions())
        .extracting(t -> t.phase())
        .containsExactly(Phase.Pending, Phase.Evaluating, Phase.Deploying, Phase.Succeeded);
  }

  static void environmentWithApproval(String name, String policy) {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: %s}
        spec:
          approvals: {required: 1, allowedUsers: [alice@example.com]}
          concurrencyPolicy: %s
        """
            .formatted(name, policy));
  }

  static void decide(
      String approval, String promotion, String environment, String release, String decision) {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Approval
        metadata: {name: %s}
        spec:
          promotion: %s
          decision: %s
          comment: decided in a test
          approver: {username: alice@example.com}
          subject: {release: %s, environment: %s, digestsHash: %s}
        """
            .formatted(
                approval,
                promotion,
                decision,
                release,
                environment,
                DigestSet.hash(List.of(D1, D2))));
  }

  @Test
  void aQueuedPromotionWaitsForTheOneBeforeIt() {
    environmentWithApproval("queued", "Queue");
    release("shop-q");
    promote("shop-q-first", "shop-q", "queued");
    awaitPhase("shop-q-first", Phase.AwaitingApproval);
    promote("shop-q-second", "shop-q", "queued");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class) // no status yet
        .untilAsserted(() ->
            assertThat(
                    client
                        .resources(Promotion.class)
                        .inNamespace(NS)
                        .withName("shop-q-second")
                        .get()
                        .getStatus()
                        .getConditions())
                .anySatisfy(c ->
                    assertThat(c.message())
                        .isEqualTo(
                            "queued: another promotion into queued goes first (its Environment's"
                                + " status.activePromotion names it)")));
    assertThat(
            client
                .resources(Promotion.class)
                .inNamespace(NS)
                .withName("shop-q-second")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo(Phase.Pending);

    decide("shop-q-first-no", "shop-q-first", "queued", "shop-q", "reject");
    awaitPhase("shop-q-first", Phase.Denied);
    awaitPhase("shop-q-second", Phase.AwaitingApproval);
  }

  @Test
  void aNewerPromotionSupersedesOneStillWaiting() throws Exception {
    environmentWithApproval("superseding", "Supersede");
    release("shop-s");
    promote("shop-s-old", "shop-s", "superseding");
    awaitPhase("shop-s-old", Phase.AwaitingApproval);
    Thread.sleep(1100); // creation times have second resolution; "newer" must be unambiguous
    promote("shop-s-new", "shop-s", "superseding");
    Promotion old = awaitPhase("shop-s-old", Phase.Superseded);
    assertThat(
            old.getStatus()
                .getTransitions()
                .get(old.getStatus().getTransitions().size() - 1)
                .message())
        .isEqualTo("superseded by the newer promotion shop-s-new into superseding");
    JsonNode evidence = verifiedStatement("shop-s-old");
    assertThat(evidence.at("/predicate/outcome").asText()).isEqualTo("Superseded");
    assertThat(
            client
                .resources(EvidencePacket.class)
                .inNamespace(NS)
                .withName("shop-s-old")
                .get()
                .getSpec()
                .decision())
        .isEqualTo("deny");
    awaitPhase("shop-s-new", Phase.AwaitingApproval);
  }

  @Test
  void aFreezeWindowDeniesAndARollbackBreakGlassPassesWithItsApprovals() throws Exception {
    var now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: frozen}
        spec:
          freezeWindows:
            - {name: maintenance, start: "%s", end: "%s", reason: Datacenter move.}
          breakGlass:
            allowedTypes: [Rollback]
            approvals: {required: 1, allowedUsers: [alice@example.com]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: frozen-docker}
        spec: {environment: frozen, type: docker, agent: edge-01, docker: {}}
        """
            .formatted(now.minusSeconds(3600), now.plusSeconds(3600)));
    release("shop-f");
    promote("shop-f-normal", "shop-f", "frozen");
    Promotion denied = awaitPhase("shop-f-normal", Phase.Denied);
    assertThat(denied.getStatus().getDecision().reasons())
        .containsExactly(
            "freeze: environment frozen is frozen by window maintenance until "
                + now.plusSeconds(3600)
                + " (Datacenter move.)");

    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: shop-f-rollback}
        spec:
          release: shop-f
          environment: frozen
          breakGlass: {type: Rollback, justification: the current release corrupts orders}
        """);
    Promotion waiting = awaitPhase("shop-f-rollback", Phase.AwaitingApproval);
    assertThat(waiting.getStatus().getGates())
        .anySatisfy(g -> {
          assertThat(g.gate()).isEqualTo("break-glass-approvals");
          assertThat(g.result()).isEqualTo(GateResult.Outcome.Pending);
        });
    decide("shop-f-rollback-alice", "shop-f-rollback", "frozen", "shop-f", "approve");
    awaitPhase("shop-f-rollback", Phase.Deploying);
    completeJobs("shop-f-rollback");
    awaitPhase("shop-f-rollback", Phase.Succeeded);
    JsonNode evidence = verifiedStatement("shop-f-rollback");
    assertThat(evidence.at("/predicate/decision/freeze/exemptedBy").asText()).isEqualTo("Rollback");
    assertThat(evidence.at("/predicate/decision/approvals/breakGlassApprovedBy/0").asText())
        .isEqualTo("alice@example.com");
    assertThat(evidence.at("/predicate/inputs/promotion/breakGlass/justification").asText())
        .isEqualTo("the current release corrupts orders");
  }

  static Environment environment(String name) {
    return client.resources(Environment.class).inNamespace(NS).withName(name).get();
  }

  /** The environment's own controller records what succeeded there, shortly after it does. */
  static Environment awaitCurrent(String environment, String release) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          var env = environment(environment);
          return env.getStatus() != null
              && env.getStatus().getCurrent() != null
              && release.equals(env.getStatus().getCurrent().release());
        });
    return environment(environment);
  }

  static Condition condition(StellaStatus status, String type) {
    return status == null
        ? null
        : status.getConditions().stream()
            .filter(c -> c.type().equals(type))
            .findFirst()
            .orElse(null);
  }

  @Test
  void aPromotionOfAMissingReleaseIsStalledAndDoesNotHoldUpTheEnvironment() {
    promote("ghost-to-dev", "no-such-release", "dev");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var stalled =
              condition(
                  client
                      .resources(Promotion.class)
                      .inNamespace(NS)
                      .withName("ghost-to-dev")
                      .get()
                      .getStatus(),
                  ConditionTypes.STALLED);
          assertThat(stalled).isNotNull();
          assertThat(stalled.reason()).isEqualTo("InputMissing");
          assertThat(stalled.message())
              .isEqualTo("Release no-such-release does not exist in namespace " + NS);
        });

    release("shop-q");
    promote("shop-q-to-dev", "shop-q", "dev");
    awaitPhase("shop-q-to-dev", Phase.Deploying);
    completeJobs("shop-q-to-dev");
    awaitPhase("shop-q-to-dev", Phase.Succeeded);
  }

  @Test
  void anEnvironmentNamingWhatDoesNotExistIsStalledUntilItDoes() {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: orphan}
        spec:
          upstream: {environments: [nowhere]}
          gatePolicies: [absent]
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var stalled = condition(environment("orphan").getStatus(), ConditionTypes.STALLED);
          assertThat(stalled).isNotNull();
          assertThat(stalled.reason()).isEqualTo("UpstreamMissing");
          assertThat(stalled.message())
              .isEqualTo(
                  "upstream environment nowhere does not exist in namespace %s; GatePolicy absent"
                          .formatted(NS)
                      + " does not exist in namespace %s; no Target names this environment, so"
                          .formatted(NS)
                      + " promotions into it cannot deploy; create a Target with"
                      + " spec.environment: orphan");
        });
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: nowhere}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: absent}
        spec:
          rules:
            - {name: always, expression: "true", message: never fails}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: orphan-docker}
        spec: {environment: orphan, type: docker, agent: edge-01, docker: {}}
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var ready = condition(environment("orphan").getStatus(), ConditionTypes.READY);
          assertThat(ready.status()).isEqualTo(Condition.Status.TRUE);
          assertThat(ready.message()).isEqualTo("open for promotions");
        });
  }

  @Test
  void aFailedDeploymentIsRolledBackAndThenSaysSo() {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: canary}
        spec: {rollbackOnFailure: true}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: canary-docker}
        spec: {environment: canary, type: docker, agent: edge-01, docker: {}}
        """);
    release("shop-r1");
    release("shop-r2");
    promote("shop-r1-to-canary", "shop-r1", "canary");
    awaitPhase("shop-r1-to-canary", Phase.Deploying);
    completeJobs("shop-r1-to-canary");
    awaitPhase("shop-r1-to-canary", Phase.Succeeded);
    assertThat(awaitCurrent("canary", "shop-r1").getStatus().getCurrent().version())
        .isEqualTo("1.4.2");

    promote("shop-r2-to-canary", "shop-r2", "canary");
    awaitPhase("shop-r2-to-canary", Phase.Deploying);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            "shop-r2-to-canary".equals(environment("canary").getStatus().getActivePromotion()));
    PromotionTestSupport.failJobs(client, NS, "shop-r2-to-canary", "container exited with 1");
    awaitPhase("shop-r2-to-canary", Phase.Failed);
    Promotion rollback = awaitPhase("shop-r2-to-canary-rollback", Phase.Deploying);
    assertThat(rollback.getSpec().release()).isEqualTo("shop-r1");
    completeJobs("shop-r2-to-canary-rollback");
    awaitPhase("shop-r2-to-canary-rollback", Phase.Succeeded);

    Promotion rolledBack = awaitPhase("shop-r2-to-canary", Phase.RolledBack);
    assertThat(rolledBack.getStatus().getTransitions())
        .extracting(t -> t.phase())
        .containsExactly(
            Phase.Pending, Phase.Evaluating, Phase.Deploying, Phase.Failed, Phase.RolledBack);
    assertThat(rolledBack.getStatus().getTransitions().getLast().message())
        .isEqualTo("canary was rolled back to shop-r1 by promotion shop-r2-to-canary-rollback");
    // the evidence recorded the failure; the rollback is evidence of its own
    assertThat(verifiedStatement("shop-r2-to-canary").at("/predicate/outcome").asText())
        .isEqualTo("Failed");
    Environment canary = awaitCurrent("canary", "shop-r1");
    assertThat(canary.getStatus().getCurrent().promotion()).isEqualTo("shop-r2-to-canary-rollback");
    assertThat(canary.getStatus().getHistory())
        .extracting(d -> d.promotion())
        .containsExactly("shop-r1-to-canary");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> environment("canary").getStatus().getActivePromotion() == null);
  }

  @Test
  void anEnvironmentAutoPromotesAReleaseThatSoakedUpstream() {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: auto-source}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: auto-target}
        spec:
          upstream: {environments: [auto-source], soakTime: 3s}
          autoPromote: true
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: auto-source-docker}
        spec: {environment: auto-source, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: auto-target-docker}
        spec: {environment: auto-target, type: docker, agent: edge-01, docker: {}}
        """);
    release("shop-auto");
    promote("shop-auto-to-source", "shop-auto", "auto-source");
    awaitPhase("shop-auto-to-source", Phase.Deploying);
    completeJobs("shop-auto-to-source");
    awaitPhase("shop-auto-to-source", Phase.Succeeded);
    assertThat(
            client
                .resources(Promotion.class)
                .inNamespace(NS)
                .withName("shop-auto-to-auto-target-auto")
                .get())
        .as("not before the soak time is over")
        .isNull();

    Promotion auto = awaitPhase("shop-auto-to-auto-target-auto", Phase.Deploying);
    assertThat(auto.getSpec().reason()).isEqualTo("auto-promoted: succeeded and soaked upstream");
    assertThat(auto.getStatus().getGates())
        .anySatisfy(g -> {
          assertThat(g.gate()).isEqualTo("upstream");
          assertThat(g.result()).isEqualTo(GateResult.Outcome.Pass);
        });
    var target = client.resources(Environment.class).inNamespace(NS).withName("auto-target").get();
    assertThat(target.getStatus().getFrozen()).isFalse();
    assertThat(target.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.type()).isEqualTo("Ready"));
  }
}
