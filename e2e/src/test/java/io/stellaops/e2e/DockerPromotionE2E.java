package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.agents.AgentRuntime;
import io.stellaops.agents.AgentSettings;
import io.stellaops.agents.AgentTestSupport;
import io.stellaops.agents.LocalDocker;
import io.stellaops.agents.TestApps;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerDriver;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.cli.StellaCli;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.target.Target;
import io.stellaops.operator.LocalOperator;
import io.stellaops.supplychain.oci.LocalRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The golden path on real components: Releases created by tag and resolved to digests by the
 * webhook against the local registry, promoted by the operator, deployed by an agent authenticated
 * by its own token to a real dockerd; v1, v2, {@code kubectl stella rollback}, an unhealthy v3
 * rolled back automatically, drift detected, and an agent refused another's job.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerPromotionE2E {
  static final String NS = "shop";
  static final String CONTAINER = "shop-dev-web";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static LocalOperator stella;
  static LocalRegistry registry;
  static DockerEngine docker;
  static AgentRuntime agent;
  static Path kubeconfig;
  static String repo;
  static Map<String, String> digests = new java.util.HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    repo = registry.host() + "/shop/web";
    digests.put("1.0.0", TestApps.push(repo + ":1.0.0", "1.0.0", true));
    digests.put("2.0.0", TestApps.push(repo + ":2.0.0", "2.0.0", true));
    digests.put("3.0.0", TestApps.push(repo + ":3.0.0", "3.0.0", false));
    String network = "stella-e2e-" + ProcessHandle.current().pid();
    docker.client().createNetworkCmd().withName(network).exec();

    stella =
        LocalOperator.start(
            new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build(),
            "stella-system",
            Map.of());

    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: edge-01}
        spec: {serviceAccountName: edge-agent, capabilities: [docker], heartbeatTimeout: 10s}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: edge-02}
        spec: {serviceAccountName: other-agent, capabilities: [docker]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {rollbackOnFailure: true}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec:
          environment: dev
          type: docker
          agent: edge-01
          docker:
            containerPrefix: shop-dev
            network: %s
            healthCheck: %s
            healthTimeout: 20s
        """
            .formatted(network, client.getKubernetesSerialization().asJson(TestApps.HEALTH_CHECK)));
    KubernetesClient agentClient = AgentTestSupport.agentClient(client, NS, "edge-agent");
    agent =
        new AgentRuntime(
            agentClient,
            new AgentSettings(
                "edge-01",
                NS,
                Files.createTempDirectory("stella-agent"),
                docker.host(),
                Duration.ofSeconds(1),
                "edge-host"),
            Drivers.standard(docker),
            "e2e",
            Clock.systemUTC());
    agent.start();
    for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
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
              - {name: web, image: %s, tag: %s}
          """
              .formatted(version, version, repo, version));
    }
    kubeconfig = Files.createTempFile("stella-e2e", ".kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (stella != null) {
      stella.close();
    }
    if (docker != null) {
      docker.containers(Map.of(DockerDriver.LABEL_TARGET, "dev-docker")).stream()
          .map(Container::getId)
          .forEach(docker::removeQuietly);
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void theWebhookStoredDigestsAndTheAgentIsReady() {
    Release v1 = client.resources(Release.class).inNamespace(NS).withName("shop-1.0.0").get();
    assertThat(v1.getSpec().components().get(0).digest()).isEqualTo(digests.get("1.0.0"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          Agent a = client.resources(Agent.class).inNamespace(NS).withName("edge-01").get();
          assertThat(condition(a.getStatus(), "Ready")).isEqualTo(Condition.Status.TRUE);
          assertThat(a.getStatus().getVersion()).isEqualTo("e2e");
        });
  }

  @Test
  @Order(2)
  void promotesV1ThenV2ThenRollsBackWithTheCli() {
    promote("dev-1", "shop-1.0.0");
    assertSucceededAndRunning("dev-1", "1.0.0");
    promote("dev-2", "shop-2.0.0");
    assertSucceededAndRunning("dev-2", "2.0.0");

    var out = new StringWriter();
    int exit =
        StellaCli.run(
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true),
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            NS,
            "rollback",
            "dev");
    assertThat(exit).as(out.toString()).isZero();
    String created = out.toString().split(" ")[0].replace("promotion.stellaops.io/", "");
    assertSucceededAndRunning(created, "1.0.0");
    assertThat(PromotionTestSupport.jobsOf(client, NS, created))
        .singleElement()
        .satisfies(
            j -> assertThat(j.getSpec().action()).isEqualTo(DeploymentJobSpec.Action.ROLLBACK));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          Target t = client.resources(Target.class).inNamespace(NS).withName("dev-docker").get();
          assertThat(t.getStatus().getRelease()).isEqualTo("shop-1.0.0");
          assertThat(condition(t.getStatus(), "Ready")).isEqualTo(Condition.Status.TRUE);
          assertThat(condition(t.getStatus(), "Drifted")).isEqualTo(Condition.Status.FALSE);
        });
  }

  @Test
  @Order(3)
  void anUnhealthyReleaseFailsAndTheEnvironmentRollsBackOnItsOwn() {
    String before = docker.inspect(CONTAINER).orElseThrow().getId();
    promote("dev-3", "shop-3.0.0");
    Promotion failed = PromotionTestSupport.awaitPhase(client, NS, "dev-3", Phase.Failed);
    assertThat(failed.getStatus().getJobs().get(0).message()).contains("is unhealthy");
    Promotion rollback =
        PromotionTestSupport.awaitPhase(client, NS, "dev-3-rollback", Phase.Succeeded);
    assertThat(rollback.getSpec().release()).isEqualTo("shop-1.0.0");
    assertThat(docker.inspect(CONTAINER).orElseThrow().getId())
        .as("v1 kept serving throughout: the same container")
        .isEqualTo(before);
  }

  @Test
  @Order(4)
  void anAgentCannotWriteTheStatusOfAnotherAgentsJob() throws Exception {
    KubernetesClient other = AgentTestSupport.agentClient(client, NS, "other-agent");
    String job = PromotionTestSupport.jobsOf(client, NS, "dev-1").get(0).getMetadata().getName();
    assertThatThrownBy(() ->
            other
                .resources(DeploymentJob.class)
                .inNamespace(NS)
                .withName(job)
                .editStatus(j -> {
                  j.getStatus().setPhase(DeploymentJobStatus.JobPhase.FAILED);
                  return j;
                }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("only agent edge-01 (service account shop/edge-agent) may update")
        .hasMessageContaining("system:serviceaccount:shop:other-agent");
    assertThatThrownBy(() ->
            other
                .resources(Target.class)
                .inNamespace(NS)
                .withName("dev-docker")
                .editStatus(t -> {
                  t.getStatus().setRelease("forged");
                  return t;
                }))
        .hasMessageContaining("only agent edge-01");
    other.close();
  }

  @Test
  @Order(5)
  void aContainerStoppedByHandMakesTheTargetDrift() {
    docker.client().stopContainerCmd(CONTAINER).withTimeout(1).exec();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> {
          Target t = client.resources(Target.class).inNamespace(NS).withName("dev-docker").get();
          assertThat(condition(t.getStatus(), "Drifted")).isEqualTo(Condition.Status.TRUE);
          assertThat(t.getStatus().getConditions())
              .anySatisfy(c -> assertThat(c.message()).contains("web: not running"));
        });
    docker.client().startContainerCmd(CONTAINER).exec();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> {
          Target t = client.resources(Target.class).inNamespace(NS).withName("dev-docker").get();
          assertThat(condition(t.getStatus(), "Drifted")).isEqualTo(Condition.Status.FALSE);
        });
  }

  private static void promote(String name, String release) {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: dev, reason: e2e}
        """
            .formatted(name, release));
  }

  private static void assertSucceededAndRunning(String promotion, String version) {
    PromotionTestSupport.awaitPhase(client, NS, promotion, Phase.Succeeded);
    var c = docker.inspect(CONTAINER).orElseThrow();
    assertThat(c.getState().getRunning()).isTrue();
    assertThat(c.getConfig().getLabels())
        .containsEntry(DockerDriver.LABEL_DIGEST, digests.get(version));
  }

  private static Condition.Status condition(StellaStatus status, String type) {
    return Conditions.find(status, type).map(Condition::status).orElse(null);
  }
}
