package io.stellaops.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.ComposeSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetSpec;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.LocalRegistry;
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
 * Compose targets on a real dockerd with Debian's docker-compose: the lockfile pins every image to
 * its digest, its digest is reported, and the running containers are checked against it.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeAgentIT {
  static final String NS = "edge";
  static final String PROJECT = "shop-it";
  static final String TEMPLATE =
      """
      services:
        web:
          image: ${stella.web}
          restart: unless-stopped
          labels:
            team: shop
        worker:
          image: ${stella.worker}
          restart: unless-stopped
      """;
  static KubernetesClient client;
  static LocalRegistry registry;
  static DockerEngine docker;
  static AgentRuntime agent;
  static Path workdir;
  static String web;
  static String worker;

  @BeforeAll
  static void setUp() throws Exception {
    AgentTestSupport.installCrds(client, NS);
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    web = registry.host() + "/shop/web";
    worker = registry.host() + "/shop/worker";
    workdir = Files.createTempDirectory("stella-compose");

    Agent a = new Agent();
    a.getMetadata().setName("edge-02");
    a.setSpec(new AgentSpec("compose-agent", List.of(TargetType.COMPOSE), "10s", 1));
    client.resource(a).inNamespace(NS).create();
    target("prod", TEMPLATE);
    target("broken", TEMPLATE.replace("${stella.worker}", "${stella.payments}"));

    KubernetesClient agentClient = AgentTestSupport.agentClient(client, NS, "compose-agent");
    agent =
        new AgentRuntime(
            agentClient,
            new AgentSettings(
                "edge-02",
                NS,
                Files.createTempDirectory("stella-agent"),
                docker.host(),
                Duration.ofSeconds(1),
                "compose-host"),
            Drivers.standard(docker),
            "test",
            Clock.systemUTC());
    agent.start();
  }

  private static void target(String name, String template) {
    Target t = new Target();
    t.getMetadata().setName(name);
    t.setSpec(
        new TargetSpec(
            "prod",
            TargetType.COMPOSE,
            "edge-02",
            null,
            null,
            new ComposeSettings(
                name.equals("prod") ? PROJECT : "broken",
                template,
                workdir.resolve(name).toString()),
            null,
            null));
    client.resource(t).inNamespace(NS).create();
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (docker != null) {
      docker.containers(Map.of("com.docker.compose.project", PROJECT)).stream()
          .map(Container::getId)
          .forEach(docker::removeQuietly);
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void deploysPinnedLockfileThenTheNextRelease() throws Exception {
    for (String version : List.of("1.0.0", "2.0.0")) {
      String webDigest = TestApps.push(web + ":" + version, version, true);
      String workerDigest = TestApps.push(worker + ":" + version, "worker " + version, true);
      DeploymentJob job = deploy("r" + version.charAt(0), "prod", version, webDigest, workerDigest);
      assertThat(job.getStatus().getPhase())
          .as(job.getStatus().getMessage() + "\n" + job.getStatus().getLogTail())
          .isEqualTo(JobPhase.SUCCEEDED);

      Path lockfile = workdir.resolve("prod").resolve("compose.stella.lock.yml");
      String lock = Files.readString(lockfile);
      assertThat(lock)
          .contains("image: " + web + "@" + webDigest)
          .contains("image: " + worker + "@" + workerDigest)
          .contains("team: shop")
          .doesNotContain("${stella.");
      assertThat(job.getStatus().getArtifacts())
          .anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("compose.stella.lock.yml");
            assertThat(a.digest()).isEqualTo(Sha256.digest(Files.readAllBytes(lockfile)));
          });
      assertThat(job.getStatus().getObserved())
          .containsExactly(
              new ComponentDigest("web", web, webDigest),
              new ComponentDigest("worker", worker, workerDigest));
      List<Container> running =
          docker.containers(Map.of("com.docker.compose.project", PROJECT)).stream()
              .filter(c -> "running".equals(c.getState()))
              .toList();
      assertThat(running)
          .extracting(Container::getImage)
          .containsExactlyInAnyOrder(web + "@" + webDigest, worker + "@" + workerDigest);
    }
    assertThat(workdir.resolve("prod").resolve("compose.stella.lock.previous.yml")).exists();
  }

  @Test
  @Order(2)
  void aTemplateNamingAnUnknownComponentFailsBeforeAnythingRuns() throws Exception {
    String webDigest = TestApps.push(web + ":3.0.0", "3.0.0", true);
    String workerDigest = TestApps.push(worker + ":3.0.0", "worker 3.0.0", true);
    // the agent's log lines of a job carry it as MDC (the JSON format prints it)
    var lines =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    lines.start();
    var jobLog =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(io.stellaops.agents.driver.JobLog.class);
    jobLog.addAppender(lines);
    DeploymentJob job;
    try {
      job = deploy("r3", "broken", "3.0.0", webDigest, workerDigest);
    } finally {
      jobLog.detachAppender(lines);
    }
    assertThat(lines.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("[r3-broken]"))
        .isNotEmpty()
        .allSatisfy(e ->
            assertThat(e.getMDCPropertyMap())
                .containsEntry("resource.kind", "DeploymentJob")
                .containsEntry("resource.namespace", NS)
                .containsEntry("resource.name", "r3-broken"));
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage())
        .contains("worker uses ${stella.payments}")
        .contains("[web, worker]");
    assertThat(docker.containers(Map.of("com.docker.compose.project", "broken"))).isEmpty();
  }

  private static DeploymentJob deploy(
      String promotion, String target, String version, String webDigest, String workerDigest) {
    DeploymentJob job = new DeploymentJob();
    job.getMetadata().setName(promotion + "-" + target);
    job.getMetadata().getLabels().put("stellaops.io/agent", "edge-02");
    job.setSpec(
        new DeploymentJobSpec(
            promotion,
            target,
            "edge-02",
            DeploymentJobSpec.Action.DEPLOY,
            "shop-" + version,
            version,
            List.of(
                new ComponentDigest("web", web, webDigest),
                new ComponentDigest("worker", worker, workerDigest)),
            null));
    client.resource(job).inNamespace(NS).create();
    return AgentTestSupport.awaitFinished(
        client, NS, job.getMetadata().getName(), Duration.ofSeconds(120));
  }
}
