package io.stellaops.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.DockerSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetSpec;
import io.stellaops.supplychain.oci.LocalRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's container image (built by jib in this module's package phase) run on a real dockerd
 * the way docs/agents.md describes: non-root, read-only root filesystem, a kubeconfig with its
 * service account's token, the Docker socket mounted. It renews its Lease, deploys a job, and stops
 * cleanly on SIGTERM.
 */
@EnableKubeAPIServer
class AgentImageIT {
  static final String NS = "boxes";
  static KubernetesClient client;
  static LocalRegistry registry;
  static DockerEngine docker;
  static String container;

  @BeforeAll
  static void setUp() throws Exception {
    AgentTestSupport.installCrds(client, NS);
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    Agent a = new Agent();
    a.getMetadata().setName("box-01");
    a.setSpec(new AgentSpec("box-agent", List.of(TargetType.DOCKER), "10s", 1));
    client.resource(a).inNamespace(NS).create();

    Path config =
        Files.createTempDirectory(
            "stella-agent-config",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    String token = AgentTestSupport.agentToken(client, NS, "box-agent");
    Files.writeString(config.resolve("kubeconfig"), AgentTestSupport.kubeconfig(client, NS, token));
    Files.setPosixFilePermissions(
        config.resolve("kubeconfig"), PosixFilePermissions.fromString("rw-r--r--"));

    try (InputStream tar = Files.newInputStream(Path.of("target", "image.tar"))) {
      docker.client().loadImageCmd(tar).exec();
    }
    String image = Files.readString(Path.of("target", "jib-image.id")).strip();
    Path socket = Path.of(URI.create(docker.host().replace("unix://", "file://")));
    int socketGroup = (Integer) Files.getAttribute(socket, "unix:gid");
    container =
        docker
            .client()
            .createContainerCmd(image)
            .withName("stella-agent-it-" + ProcessHandle.current().pid())
            .withEnv(
                "KUBECONFIG=/etc/stella/kubeconfig",
                "STELLA_AGENT_NAME=box-01",
                "STELLA_AGENT_DATA_DIR=/tmp/stella-agent",
                "DOCKER_HOST=unix:///var/run/docker.sock")
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode("host")
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                    .withGroupAdd(List.of(Integer.toString(socketGroup)))
                    .withBinds(
                        new Bind(config.toString(), new Volume("/etc/stella"), AccessMode.ro),
                        new Bind(socket.toString(), new Volume("/var/run/docker.sock"))))
            .exec()
            .getId();
    docker.client().startContainerCmd(container).exec();
  }

  @AfterAll
  static void tearDown() {
    if (container != null) {
      docker.removeQuietly(container);
    }
    docker
        .containers(Map.of("stellaops.io/target", "box"))
        .forEach(c -> docker.removeQuietly(c.getId()));
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void runsAsNonRootOnAReadOnlyRootDeploysAndStopsOnSigterm() throws Exception {
    var lease = client.resources(Lease.class).inNamespace(NS).withName(AgentLease.name("box-01"));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> lease.get() != null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the agent container renewed no Lease; its log:\n" + logs(), e);
    }
    assertThat(lease.get().getMetadata().getAnnotations().get(AgentLease.VERSION))
        .as("version from the image's build")
        .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(docker.client().inspectContainerCmd(container).exec().getConfig().getUser())
        .isEqualTo("65532:65532");

    String repo = registry.host() + "/box/web";
    String digest = TestApps.push(repo + ":1.0.0", "1.0.0", true);
    Target t = new Target();
    t.getMetadata().setName("box");
    t.setSpec(
        new TargetSpec(
            "dev",
            TargetType.DOCKER,
            "box-01",
            null,
            new DockerSettings("box", null, null, null, TestApps.HEALTH_CHECK, "30s", null),
            null,
            null,
            null));
    client.resource(t).inNamespace(NS).create();
    DeploymentJob job = new DeploymentJob();
    job.getMetadata().setName("r1-box");
    job.getMetadata().getLabels().put(AgentLease.AGENT_LABEL, "box-01");
    job.setSpec(
        new DeploymentJobSpec(
            "r1",
            "box",
            "box-01",
            DeploymentJobSpec.Action.DEPLOY,
            "box-1.0.0",
            "1.0.0",
            List.of(new ComponentDigest("web", repo, digest)),
            null));
    client.resource(job).inNamespace(NS).create();
    DeploymentJob done =
        AgentTestSupport.awaitFinished(client, NS, "r1-box", Duration.ofSeconds(90));
    assertThat(done.getStatus().getPhase())
        .as(done.getStatus().getMessage() + "\n" + logs())
        .isEqualTo(JobPhase.SUCCEEDED);
    assertThat(docker.inspect("box-web").orElseThrow().getConfig().getImage())
        .isEqualTo(repo + "@" + digest);

    Instant stopping = Instant.now();
    docker.client().stopContainerCmd(container).withTimeout(30).exec();
    var state = docker.client().inspectContainerCmd(container).exec().getState();
    assertThat(state.getExitCodeLong())
        .as("exit code after SIGTERM (143: shut down by its hook, 137: killed); log:\n" + logs())
        .isEqualTo(143L);
    assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(30));
  }

  private static String logs() {
    StringBuilder text = new StringBuilder();
    try {
      docker
          .client()
          .logContainerCmd(container)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(60)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString();
  }
}
