package io.stellaops.controllers.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.target.Target;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent liveness from its Lease, jobs of a silent agent timed out, automatic rollback of a failed
 * deployment, and Target drift, on a real API server with the real controllers.
 */
@EnableKubeAPIServer
class AgentLivenessIT {
  static final String NS = "edge";
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static KubernetesClient client;
  static Operator operator;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: alive}
        spec: {serviceAccountName: alive, capabilities: [docker], heartbeatTimeout: 3s}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: ghost}
        spec: {serviceAccountName: ghost, capabilities: [docker], heartbeatTimeout: 4s}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {rollbackOnFailure: true}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: prod-docker}
        spec: {environment: prod, type: docker, agent: ghost, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: drifting}
        spec: {environment: lab, type: docker, agent: alive, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: lab}
        spec: {}
        """);
    for (String version : List.of("1.0.0", "2.0.0")) {
      PromotionTestSupport.apply(
          client,
          NS,
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: shop-%s}
          spec:
            version: %s
            components:
              - {name: api, image: registry.example.com/shop/api, digest: %s}
          """
              .formatted(version, version, version.startsWith("1") ? D1 : D2));
    }
    operator = PromotionTestSupport.startOperator(client);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  @Test
  void agentIsReadyWhileItRenewsItsLeaseAndNotAfter() {
    renew("alive");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          Agent a = client.resources(Agent.class).inNamespace(NS).withName("alive").get();
          assertThat(ready(a)).isEqualTo(Condition.Status.TRUE);
          assertThat(a.getStatus().getVersion()).isEqualTo("1.2.3");
          assertThat(a.getStatus().getReportedCapabilities()).containsExactly("docker");
          assertThat(a.getStatus().getHostname()).isEqualTo("edge-host");
          assertThat(a.getStatus().getLastHeartbeatTime()).isNotNull();
        });
    // no renewal: after heartbeatTimeout (3s) the agent is not Ready, without any event
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          Agent a = client.resources(Agent.class).inNamespace(NS).withName("alive").get();
          assertThat(ready(a)).isEqualTo(Condition.Status.FALSE);
          assertThat(a.getStatus().getConditions())
              .anySatisfy(c -> {
                assertThat(c.reason()).isEqualTo("HeartbeatMissed");
                assertThat(c.message()).contains("stopped renewing its Lease");
              });
        });
    Agent ghost = client.resources(Agent.class).inNamespace(NS).withName("ghost").get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            ready(client.resources(Agent.class).inNamespace(NS).withName("ghost").get())
                == Condition.Status.FALSE);
    assertThat(ghost).isNotNull();
  }

  @Test
  void livenessIsTimedByTheServerWhateverTheAgentsClockSays() {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: late}
        spec: {serviceAccountName: late, capabilities: [docker], heartbeatTimeout: 4s}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: early}
        spec: {serviceAccountName: early, capabilities: [docker], heartbeatTimeout: 4s}
        """);
    // late's clock is ten minutes behind, and it keeps renewing: alive, told its clock is off
    for (int i = 0; i < 4; i++) {
      renew("late", Duration.ofMinutes(-10));
      sleep(1_000);
    }
    Agent late = client.resources(Agent.class).inNamespace(NS).withName("late").get();
    assertThat(ready(late)).isEqualTo(Condition.Status.TRUE);
    assertThat(late.getStatus().getConditions())
        .anySatisfy(c -> {
          assertThat(c.type()).isEqualTo("ClockSkewed");
          assertThat(c.status()).isEqualTo(Condition.Status.TRUE);
          assertThat(c.message())
              .containsPattern("clock is at least (570|600) s behind the API server's");
        });
    // early's clock is ten minutes ahead and it renews once: dead after heartbeatTimeout, not ten
    // minutes later
    renew("early", Duration.ofMinutes(10));
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() ->
            ready(client.resources(Agent.class).inNamespace(NS).withName("early").get())
                == Condition.Status.TRUE);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            ready(client.resources(Agent.class).inNamespace(NS).withName("early").get())
                == Condition.Status.FALSE);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void jobsOfAnAgentThatNeverConnectsTimeOutAndTheEnvironmentRollsBack() {
    promote("prod-1", "shop-1.0.0");
    PromotionTestSupport.awaitPhase(client, NS, "prod-1", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "prod-1");
    PromotionTestSupport.awaitPhase(client, NS, "prod-1", Phase.Succeeded);

    promote("prod-2", "shop-2.0.0");
    Promotion failed = awaitPhase("prod-2", Phase.Failed);
    assertThat(failed.getStatus().getJobs())
        .singleElement()
        .satisfies(j -> {
          assertThat(j.phase()).isEqualTo("TimedOut");
          assertThat(j.message())
              .contains("agent ghost has never connected")
              .contains("nothing was deployed");
        });
    assertThat(PromotionTestSupport.jobsOf(client, NS, "prod-2"))
        .singleElement()
        .satisfies(j ->
            assertThat(j.getStatus().getConditions())
                .anySatisfy(c -> {
                  assertThat(c.type()).isEqualTo(ConditionTypes.STALLED);
                  assertThat(c.reason()).isEqualTo("TimedOut");
                  assertThat(c.message()).contains("agent ghost has never connected");
                }));
    // rollbackOnFailure: the environment's current release is promoted again, as a rollback
    Promotion rollback = awaitPhase("prod-2-rollback", Phase.Deploying);
    assertThat(rollback.getSpec().release()).isEqualTo("shop-1.0.0");
    assertThat(rollback.getSpec().reason()).startsWith("automatic rollback: prod-2 failed");
    assertThat(PromotionTestSupport.jobsOf(client, NS, "prod-2-rollback"))
        .singleElement()
        .satisfies(
            j -> assertThat(j.getSpec().action()).isEqualTo(DeploymentJobSpec.Action.ROLLBACK));
    // a rollback that fails too is not rolled back again
    awaitPhase("prod-2-rollback", Phase.Failed);
    assertThat(
            client
                .resources(Promotion.class)
                .inNamespace(NS)
                .withName("prod-2-rollback-rollback")
                .get())
        .isNull();
  }

  @Test
  void targetDriftsWhenWhatRunsDiffersFromWhatWasDeployed() {
    DeploymentJob job = new DeploymentJob();
    job.getMetadata().setName("manual-drifting");
    job.setSpec(
        new DeploymentJobSpec(
            "manual",
            "drifting",
            "alive",
            DeploymentJobSpec.Action.DEPLOY,
            "shop-1.0.0",
            "1.0.0",
            List.of(new ComponentDigest("api", "registry.example.com/shop/api", D1)),
            null));
    client.resource(job).inNamespace(NS).create();
    client
        .resources(DeploymentJob.class)
        .inNamespace(NS)
        .withName("manual-drifting")
        .editStatus(j -> {
          var s = new DeploymentJobStatus();
          s.setPhase(JobPhase.SUCCEEDED);
          j.setStatus(s);
          return j;
        });
    report(List.of(new ComponentDigest("api", "registry.example.com/shop/api", D1)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(condition(target().getStatus(), "Drifted"))
                .isEqualTo(Condition.Status.FALSE));
    assertThat(condition(target().getStatus(), "Ready")).isEqualTo(Condition.Status.TRUE);

    report(List.of(new ComponentDigest("api", "registry.example.com/shop/api", D2)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(condition(target().getStatus(), "Drifted"))
                .isEqualTo(Condition.Status.TRUE));
    assertThat(target().getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.message()).contains("api: runs " + D2 + ", want " + D1));
    assertThat(target().getStatus().getRunning()).as("the agent's report is kept").hasSize(1);

    report(List.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(target().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.message()).contains("api: not running")));
  }

  private static void report(List<ComponentDigest> running) {
    client
        .resources(Target.class)
        .inNamespace(NS)
        .withName("drifting")
        .editStatus(t -> {
          var s =
              t.getStatus() == null ? new io.stellaops.crds.target.TargetStatus() : t.getStatus();
          s.setLastJob("manual-drifting");
          s.setRelease("shop-1.0.0");
          s.setRunning(running);
          t.setStatus(s);
          return t;
        });
  }

  private static Target target() {
    return client.resources(Target.class).inNamespace(NS).withName("drifting").get();
  }

  private static Condition.Status condition(StellaStatus status, String type) {
    return Conditions.find(status, type).map(Condition::status).orElse(null);
  }

  private static void renew(String agent) {
    renew(agent, Duration.ZERO);
  }

  /** A renewal by an agent whose clock is {@code off} the true time. */
  private static void renew(String agent, Duration off) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName("stella-agent-" + agent)
            .withNamespace(NS)
            .addToLabels("stellaops.io/agent", agent)
            .addToAnnotations("stellaops.io/agent-version", "1.2.3")
            .addToAnnotations("stellaops.io/capabilities", "docker")
            .addToAnnotations("stellaops.io/hostname", "edge-host")
            .addToAnnotations("stellaops.io/active-jobs", "0")
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(agent + "@edge-host")
            .withLeaseDurationSeconds(3)
            .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).plus(off))
            .endSpec()
            .build();
    client.resource(lease).serverSideApply();
  }

  private static Condition.Status ready(Agent a) {
    return a == null ? null : condition(a.getStatus(), "Ready");
  }

  private static void promote(String name, String release) {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: prod, reason: test}
        """
            .formatted(name, release));
  }

  private static Promotion awaitPhase(String name, Phase phase) {
    return PromotionTestSupport.awaitPhase(client, NS, name, phase);
  }
}
