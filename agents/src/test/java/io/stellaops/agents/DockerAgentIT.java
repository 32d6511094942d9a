package io.stellaops.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerDriver;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.DockerSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetSpec;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * An agent authenticated by its own service-account token deploys to a real dockerd from a real
 * registry: v1, v2, an unhealthy v3 that leaves v2 serving, a digest the registry no longer has,
 * and a resumed job that must not deploy twice.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerAgentIT {
  static final String NS = "edge";
  static final String TARGET = "web";
  static final String CONTAINER = "shop-web";
  static KubernetesClient client;
  static LocalRegistry registry;
  static DockerEngine docker;
  static AgentRuntime agent;
  static java.util.function.Supplier<AgentRuntime> startAgent;
  static Path stickers;
  static String repo;
  static String v1;
  static String v2;
  static String unhealthy;
  static String network;

  @BeforeAll
  static void setUp() throws Exception {
    AgentTestSupport.installCrds(client, NS);
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    repo = registry.host() + "/shop/web";
    v1 = TestApps.push(repo + ":1.0.0", "1.0.0", true);
    v2 = TestApps.push(repo + ":2.0.0", "2.0.0", true);
    unhealthy = TestApps.push(repo + ":3.0.0", "3.0.0", false);
    network = "stella-it-" + ProcessHandle.current().pid();
    docker.client().createNetworkCmd().withName(network).exec();
    stickers = Files.createTempDirectory("stella-sticker");

    Agent a = new Agent();
    a.getMetadata().setName("edge-01");
    a.setSpec(new AgentSpec("edge-agent", List.of(TargetType.DOCKER), "10s", 1));
    client.resource(a).inNamespace(NS).create();
    Target t = new Target();
    t.getMetadata().setName(TARGET);
    t.setSpec(
        new TargetSpec(
            "dev",
            TargetType.DOCKER,
            "edge-01",
            null,
            new DockerSettings(
                "shop",
                network,
                null,
                Map.of("SHOP_MODE", "dev"),
                TestApps.HEALTH_CHECK,
                "20s",
                stickers.toString()),
            null,
            null,
            null));
    client.resource(t).inNamespace(NS).create();

    // a local, not a field: the API server extension injects the one KubernetesClient field
    KubernetesClient agentClient = AgentTestSupport.agentClient(client, NS, "edge-agent");
    Path data = Files.createTempDirectory("stella-agent");
    startAgent =
        () -> {
          var runtime =
              new AgentRuntime(
                  agentClient,
                  new AgentSettings(
                      "edge-01", NS, data, docker.host(), Duration.ofSeconds(1), "edge-host"),
                  Drivers.standard(docker),
                  "test",
                  Clock.systemUTC());
          runtime.start();
          return runtime;
        };
    agent = startAgent.get();
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (docker != null) {
      docker.containers(Map.of(DockerDriver.LABEL_TARGET, TARGET)).stream()
          .map(Container::getId)
          .forEach(docker::removeQuietly);
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void heartbeatLeaseCarriesVersionAndCapabilities() {
    Lease lease =
        client.resources(Lease.class).inNamespace(NS).withName("stella-agent-edge-01").get();
    assertThat(lease).isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("edge-01@edge-host");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
    assertThat(lease.getMetadata().getAnnotations())
        .containsEntry(AgentLease.VERSION, "test")
        .containsEntry(AgentLease.CAPABILITIES, "docker")
        .containsEntry(AgentLease.HOSTNAME, "edge-host");
  }

  @Test
  @Order(2)
  void deploysV1ThenV2ByDigestWithStickerAndTargetStatus() throws Exception {
    DeploymentJob first = deploy("p1", "1.0.0", v1);
    assertThat(first.getStatus().getPhase())
        .as(first.getStatus().getMessage() + "\n" + first.getStatus().getLogTail())
        .isEqualTo(JobPhase.SUCCEEDED);
    assertRunning(v1);
    String v1Container = docker.inspect(CONTAINER).orElseThrow().getId();
    assertThat(first.getStatus().getObserved())
        .containsExactly(new ComponentDigest("web", repo, v1));
    assertThat(first.getStatus().getStartedAt()).isNotNull();
    assertThat(first.getStatus().getFinishedAt()).isNotNull();
    assertThat(first.getStatus().getLogTail()).contains("pulling " + repo + "@" + v1);
    assertThat(first.getStatus().getConditions())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.type()).isEqualTo(ConditionTypes.READY);
          assertThat(c.status()).isEqualTo(Condition.Status.TRUE);
          assertThat(c.reason()).isEqualTo("Succeeded");
        });

    DeploymentJob second = deploy("p2", "2.0.0", v2);
    assertThat(second.getStatus().getPhase())
        .as(second.getStatus().getMessage() + "\n" + second.getStatus().getLogTail())
        .isEqualTo(JobPhase.SUCCEEDED);
    assertRunning(v2);
    assertThat(docker.inspect(v1Container)).as("the v1 container is removed").isEmpty();
    assertThat(docker.containers(Map.of(DockerDriver.LABEL_TARGET, TARGET))).hasSize(1);
    var env = docker.inspect(CONTAINER).orElseThrow().getConfig().getEnv();
    assertThat(env).contains("SHOP_MODE=dev");

    byte[] sticker = Files.readAllBytes(stickers.resolve("stella.version.json"));
    var json = client.getKubernetesSerialization().unmarshal(new String(sticker), Map.class);
    assertThat(json).containsEntry("release", "shop-2.0.0").containsEntry("version", "2.0.0");
    assertThat(json.get("components").toString()).contains(v2);
    assertThat(second.getStatus().getArtifacts())
        .anySatisfy(a -> {
          assertThat(a.name()).isEqualTo("stella.version.json");
          assertThat(a.digest()).isEqualTo(Sha256.digest(sticker));
        });

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          Target t = client.resources(Target.class).inNamespace(NS).withName(TARGET).get();
          assertThat(t.getStatus().getRunning())
              .containsExactly(new ComponentDigest("web", repo, v2));
          assertThat(t.getStatus().getRelease()).isEqualTo("shop-2.0.0");
          assertThat(t.getStatus().getLastJob()).isEqualTo("p2-web");
        });
  }

  @Test
  @Order(3)
  void unhealthyNewVersionFailsAndTheOldOneKeepsServing() throws Exception {
    String before = docker.inspect(CONTAINER).orElseThrow().getId();
    DeploymentJob job = deploy("p3", "3.0.0", unhealthy);
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage())
        .contains("shop-web-next is unhealthy")
        .contains("the previous containers keep running");
    assertThat(docker.inspect(CONTAINER).orElseThrow().getId()).isEqualTo(before);
    assertRunning(v2);
    assertThat(docker.inspect(CONTAINER + "-next")).isEmpty();
  }

  @Test
  @Order(4)
  void aDigestTheRegistryNoLongerHasFailsWithoutTouchingTheTarget() throws Exception {
    // The tag is re-pushed and the manifest the release pinned is deleted from the registry.
    String gone = TestApps.push(repo + ":4.0.0", "4.0.0", true);
    TestApps.push(repo + ":4.0.0", "4.0.0-rebuilt", true);
    var delete =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/shop/web/manifests/" + gone))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(202);
    String before = docker.inspect(CONTAINER).orElseThrow().getId();

    DeploymentJob job = deploy("p4", "4.0.0", gone);
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage()).contains("pull of " + repo + "@" + gone + " failed");
    assertThat(docker.inspect(CONTAINER).orElseThrow().getId()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void aJobResumedAfterARestartDoesNotDeployTwice() throws Exception {
    String before = docker.inspect(CONTAINER).orElseThrow().getId();
    // What an agent killed mid-job leaves behind: the job Running, the work already done.
    agent.close();
    client.resource(job("p5", "2.0.0", v2)).inNamespace(NS).create();
    client
        .resources(DeploymentJob.class)
        .inNamespace(NS)
        .withName("p5-web")
        .editStatus(j -> {
          var s = new DeploymentJobStatus();
          s.setPhase(JobPhase.RUNNING);
          s.setStartedAt("2026-01-01T00:00:00Z");
          j.setStatus(s);
          return j;
        });
    agent = startAgent.get();
    DeploymentJob done =
        AgentTestSupport.awaitFinished(client, NS, "p5-web", Duration.ofSeconds(60));
    assertThat(done.getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(done.getStatus().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(done.getStatus().getLogTail()).contains("resuming").contains("already runs");
    assertThat(docker.inspect(CONTAINER).orElseThrow().getId()).isEqualTo(before);
  }

  @Test
  @Order(6)
  void jobsOfOtherAgentsAreLeftAlone() throws Exception {
    DeploymentJob other = job("p6", "2.0.0", v2);
    other.getMetadata().getLabels().put("stellaops.io/agent", "edge-01");
    other.setSpec(
        new DeploymentJobSpec(
            "p6",
            TARGET,
            "edge-02",
            DeploymentJobSpec.Action.DEPLOY,
            "shop-2.0.0",
            "2.0.0",
            List.of(new ComponentDigest("web", repo, v2)),
            null));
    client.resource(other).inNamespace(NS).create();
    Thread.sleep(3000);
    var job = client.resources(DeploymentJob.class).inNamespace(NS).withName("p6-web").get();
    assertThat(job.getStatus()).as("a job whose spec names another agent").isNull();
  }

  private static DeploymentJob deploy(String promotion, String version, String digest) {
    client.resource(job(promotion, version, digest)).inNamespace(NS).create();
    return AgentTestSupport.awaitFinished(
        client, NS, promotion + "-" + TARGET, Duration.ofSeconds(90));
  }

  private static DeploymentJob job(String promotion, String version, String digest) {
    DeploymentJob job = new DeploymentJob();
    job.getMetadata().setName(promotion + "-" + TARGET);
    job.getMetadata().getLabels().put("stellaops.io/agent", "edge-01");
    job.setSpec(
        new DeploymentJobSpec(
            promotion,
            TARGET,
            "edge-01",
            DeploymentJobSpec.Action.DEPLOY,
            "shop-" + version,
            version,
            List.of(new ComponentDigest("web", repo, digest)),
            null));
    return job;
  }

  private static void assertRunning(String digest) {
    var c = docker.inspect(CONTAINER).orElseThrow();
    assertThat(c.getState().getRunning()).isTrue();
    assertThat(c.getConfig().getLabels())
        .containsEntry(DockerDriver.LABEL_DIGEST, digest)
        .containsEntry(DockerDriver.LABEL_COMPONENT, "web");
    assertThat(docker.client().inspectImageCmd(c.getImageId()).exec().getRepoDigests())
        .contains(repo + "@" + digest);
  }
}
