package io.stellaops.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.agents.driver.nomad.NomadDriver;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.NomadSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetSpec;
import io.stellaops.supplychain.oci.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * Nomad targets on a real Nomad dev agent whose docker driver runs on a real dockerd: the job's
 * docker task pinned by digest, the Nomad deployment followed, a crashing version reverted.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NomadAgentIT {
  static final String NS = "nomad";
  static KubernetesClient client;
  static LocalRegistry registry;
  static DockerEngine docker;
  static AgentRuntime agent;
  static String nomad;
  static String web;
  static String v1;
  static String v2;

  /** The job as a platform team writes it: an update block so Nomad tracks deployments. */
  static final String JOB =
      """
      job "shop" {
        datacenters = ["dc1"]
        type        = "service"
        group "web" {
          count = 1
          update {
            max_parallel      = 1
            min_healthy_time  = "1s"
            healthy_deadline  = "30s"
            progress_deadline = "0"
            auto_revert       = false
          }
          restart {
            attempts = 0
            mode     = "fail"
          }
          reschedule {
            attempts  = 0
            unlimited = false
          }
          task "web" {
            driver = "docker"
            config {
              image        = "IMAGE"
              network_mode = "none"
            }
            resources {
              cpu    = 50
              memory = 32
            }
          }
          task "sidecar" {
            driver = "docker"
            config {
              image        = "IMAGE"
              network_mode = "none"
            }
            resources {
              cpu    = 50
              memory = 32
            }
          }
        }
      }
      """;

  @BeforeAll
  static void setUp() throws Exception {
    AgentTestSupport.installCrds(client, NS);
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    nomad = LocalNomad.address();
    web = registry.host() + "/shop/web";
    TestApps.push(web + ":0.0.1", "0.0.1", true);
    v1 = TestApps.push(web + ":1.0.0", "1.0.0", true);
    v2 = TestApps.push(web + ":2.0.0", "2.0.0", true);
    LocalNomad.run(JOB.replace("IMAGE", web + ":0.0.1"));

    Agent a = new Agent();
    a.getMetadata().setName("nomad-01");
    a.setSpec(new AgentSpec("nomad-agent", List.of(TargetType.NOMAD), "10s", 1));
    client.resource(a).inNamespace(NS).create();
    target("shop", "shop");
    target("ghost", "ghost");

    agent =
        new AgentRuntime(
            AgentTestSupport.agentClient(client, NS, "nomad-agent"),
            new AgentSettings(
                "nomad-01",
                NS,
                Files.createTempDirectory("stella-agent"),
                null,
                Duration.ofSeconds(1),
                "nomad-host"),
            new Drivers(List.of(new NomadDriver(null, Duration.ofSeconds(2)))),
            "test",
            Clock.systemUTC());
    agent.start();
  }

  private static void target(String name, String job) {
    Target t = new Target();
    t.getMetadata().setName(name);
    t.setSpec(
        new TargetSpec(
            "prod",
            TargetType.NOMAD,
            "nomad-01",
            null,
            null,
            null,
            null,
            new NomadSettings(nomad, job, "default", null, "90s")));
    client.resource(t).inNamespace(NS).create();
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void deploysV1ThenV2ThenRollsBack() throws Exception {
    DeploymentJob first = run("r1", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "web", v1);
    assertSucceeded(first);
    JsonNode job = job();
    assertThat(image(job, "web")).isEqualTo(web + "@" + v1);
    assertThat(image(job, "sidecar")).isEqualTo(web + ":0.0.1");
    assertThat(job.path("Meta").path("stellaops.io/release").asText()).isEqualTo("shop-1.0.0");
    assertThat(first.getStatus().getObserved())
        .containsExactly(new ComponentDigest("web", web, v1));
    assertThat(first.getStatus().getArtifacts())
        .singleElement()
        .satisfies(a -> {
          assertThat(a.name()).isEqualTo("nomad-job");
          assertThat(a.location())
              .endsWith("/v1/job/shop/versions#" + job.path("Version").asLong());
        });
    assertThat(runningImages()).contains(web + "@" + v1);

    assertSucceeded(run("r2", "2.0.0", DeploymentJobSpec.Action.DEPLOY, "web", v2));
    assertThat(image(job(), "web")).isEqualTo(web + "@" + v2);
    assertThat(runningImages()).contains(web + "@" + v2).doesNotContain(web + "@" + v1);

    assertSucceeded(run("r2-rollback", "1.0.0", DeploymentJobSpec.Action.ROLLBACK, "web", v1));
    assertThat(image(job(), "web")).isEqualTo(web + "@" + v1);
    assertThat(runningImages()).contains(web + "@" + v1).doesNotContain(web + "@" + v2);
  }

  @Test
  @Order(2)
  void aCrashingVersionFailsItsDeploymentAndTheJobIsReverted() throws Exception {
    long before = job().path("Version").asLong();
    String v3 = TestApps.pushCrashing(web + ":3.0.0", "3.0.0");
    DeploymentJob job = run("r3", "3.0.0", DeploymentJobSpec.Action.DEPLOY, "web", v3);
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage())
        .contains("Nomad deployment of job shop version " + (before + 1))
        .containsAnyOf("web: 0 healthy, 1 unhealthy of 1", "task web is dead");
    assertThat(job.getStatus().getLogTail()).contains("reverting job shop to version " + before);
    JsonNode reverted = job();
    assertThat(reverted.path("Version").asLong()).isEqualTo(before + 2);
    assertThat(image(reverted, "web")).isEqualTo(web + "@" + v1);
  }

  @Test
  @Order(3)
  void aMissingJobOrTaskFailsWithTheReason() throws Exception {
    DeploymentJob ghost = run("r1", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "web", v1, "ghost");
    assertThat(ghost.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(ghost.getStatus().getMessage())
        .contains("Nomad job ghost not found in namespace default")
        .contains("the agent only updates it");

    DeploymentJob noTask = run("r9", "9.0.0", DeploymentJobSpec.Action.DEPLOY, "api", v1);
    assertThat(noTask.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(noTask.getStatus().getMessage())
        .contains("has no docker task named api (it has [sidecar, web])");
  }

  private static JsonNode job() throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(nomad + "/v1/job/shop")).build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body());
  }

  private static String image(JsonNode job, String task) {
    for (JsonNode group : job.path("TaskGroups")) {
      for (JsonNode t : group.path("Tasks")) {
        if (task.equals(t.path("Name").asText())) {
          return t.path("Config").path("image").asText();
        }
      }
    }
    return null;
  }

  private static List<String> runningImages() {
    return docker.containers(Map.of()).stream()
        .filter(c -> "running".equals(c.getState()))
        .map(Container::getImage)
        .toList();
  }

  private static void assertSucceeded(DeploymentJob job) {
    assertThat(job.getStatus().getPhase())
        .as(job.getStatus().getMessage() + "\n" + job.getStatus().getLogTail())
        .isEqualTo(JobPhase.SUCCEEDED);
  }

  private static DeploymentJob run(
      String promotion,
      String version,
      DeploymentJobSpec.Action action,
      String component,
      String digest) {
    return run(promotion, version, action, component, digest, "shop");
  }

  private static DeploymentJob run(
      String promotion,
      String version,
      DeploymentJobSpec.Action action,
      String component,
      String digest,
      String target) {
    return AgentTestSupport.runJob(
        client,
        NS,
        "nomad-01",
        new DeploymentJobSpec(
            promotion,
            target,
            "nomad-01",
            action,
            "shop-" + version,
            version,
            List.of(new ComponentDigest(component, web, digest)),
            null),
        Duration.ofSeconds(150));
  }
}
