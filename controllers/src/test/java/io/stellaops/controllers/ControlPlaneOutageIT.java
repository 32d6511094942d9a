package io.stellaops.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.promotion.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane goes away under a running operator: etcd frozen (SIGSTOP: the API server
 * answers with errors and timeouts), then the API server itself frozen (watches and requests hang),
 * each for {@code stella.outage.seconds} (8 by default; longer ones run with
 * -Dstella.outage.seconds=90), while a promotion's jobs have just been reported done and another
 * waits behind it; then the API server is killed (SIGKILL) and started again with the same command
 * line on the same etcd, as a node reboot or an upgrade of the control plane does. Once it is back,
 * everything the operator had to do is done, once: each promotion ends, with one evidence packet
 * and one job, and the queue moves on without a touch.
 */
@EnableKubeAPIServer
class ControlPlaneOutageIT {
  static final String NS = "shop";
  static final int OUTAGE = Integer.getInteger("stella.outage.seconds", 8);
  static KubernetesClient client;
  static Operator operator;
  static final List<Process> restarted = new java.util.ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        """);
    for (int i = 1; i <= 3; i++) {
      PromotionTestSupport.apply(
          client,
          NS,
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r%1$d}
          spec:
            version: %1$d.0.0
            components: [{name: api, image: registry.example.com/shop/api, digest: sha256:%2$s}]
          """
              .formatted(i, String.valueOf(i).repeat(64)));
    }
    operator = PromotionTestSupport.startOperator(client);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    restarted.forEach(Process::destroy); // kube-api-test stops only what it started
  }

  /** The PID of this JVM's child process whose command line contains {@code name}. */
  static long child(String name) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " process under this JVM"))
        .pid();
  }

  static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Freezes {@code name} for the outage, then lets it run again. */
  static void outage(String name) throws Exception {
    long pid = child(name);
    signal("STOP", pid);
    try {
      Thread.sleep(OUTAGE * 1000L);
    } finally {
      signal("CONT", pid);
    }
  }

  /** A child process's command line, to start it again as it was. */
  static List<String> commandLine(ProcessHandle process) {
    List<String> command = new java.util.ArrayList<>();
    command.add(process.info().command().orElseThrow());
    command.addAll(List.of(process.info().arguments().orElseThrow()));
    return command;
  }

  static ProcessHandle childHandle(String name) {
    long pid = child(name);
    return ProcessHandle.of(pid).orElseThrow();
  }

  /**
   * The control plane restarts, its data kept, as after a reboot of the node: etcd is frozen so its
   * files hold still and copied; the API server is killed (kube-api-test then stops etcd and
   * deletes its data, as it does when a process dies under it); the data is put back and both start
   * again with the command lines they had (flags, certificates, ports). Returns once the API server
   * answers.
   */
  static void restartControlPlane() throws Exception {
    ProcessHandle etcd = childHandle("etcd");
    ProcessHandle apiServer = childHandle("kube-apiserver");
    List<String> etcdCommand = commandLine(etcd);
    List<String> apiServerCommand = commandLine(apiServer);
    Map<java.nio.file.Path, java.nio.file.Path> kept = new java.util.LinkedHashMap<>();
    signal("STOP", etcd.pid());
    for (String flag : List.of("-data-dir", "-wal-dir")) { // as kube-api-test spells them
      int at = etcdCommand.indexOf(flag);
      assertThat(at).as("etcd's %s in %s", flag, etcdCommand).isPositive();
      java.nio.file.Path dir = java.nio.file.Path.of(etcdCommand.get(at + 1));
      java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("etcd-kept");
      copyTree(dir, copy);
      kept.put(dir, copy);
    }
    apiServer.destroyForcibly();
    apiServer.onExit().get(30, TimeUnit.SECONDS);
    etcd.onExit().get(30, TimeUnit.SECONDS);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kept.keySet().stream().noneMatch(java.nio.file.Files::exists));
    for (var dir : kept.entrySet()) {
      copyTree(dir.getValue(), dir.getKey());
    }
    restarted.add(start(etcdCommand, "etcd"));
    restarted.add(start(apiServerCommand, "kube-apiserver"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> client.namespaces().withName(NS).get() != null);
  }

  static Process start(List<String> command, String name) throws Exception {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(java.nio.file.Files.createTempFile(name, ".log").toFile())
        .start();
  }

  static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws Exception {
    try (var paths = java.nio.file.Files.walk(from)) {
      for (java.nio.file.Path p : paths.toList()) {
        java.nio.file.Path target = to.resolve(from.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  void aFrozenEtcdAFrozenAndARestartedApiServerLoseNothingAndRepeatNothing() throws Exception {
    PromotionTestSupport.promote(client, NS, "first", "r1", "dev");
    PromotionTestSupport.awaitPhase(client, NS, "first", Phase.Deploying);
    PromotionTestSupport.promote(client, NS, "second", "r2", "dev"); // queued behind first
    PromotionTestSupport.completeJobs(client, NS, "first");

    Instant start = Instant.now();
    outage("etcd");
    outage("kube-apiserver");
    Instant killed = Instant.now();
    restartControlPlane();
    System.out.printf(
        "control plane outage: etcd then kube-apiserver frozen %d s each, then kube-apiserver"
            + " killed, etcd stopped, both started again on etcd's data in %d s (%d s in all)%n",
        OUTAGE,
        Duration.between(killed, Instant.now()).toSeconds(),
        Duration.between(start, Instant.now()).toSeconds());

    // without any touch, the operator finishes first and starts second
    PromotionTestSupport.awaitPhase(client, NS, "first", Phase.Succeeded);
    PromotionTestSupport.awaitPhase(client, NS, "second", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "second");
    PromotionTestSupport.awaitPhase(client, NS, "second", Phase.Succeeded);
    // and a promotion made after the outage runs as any other
    PromotionTestSupport.promote(client, NS, "third", "r3", "dev");
    PromotionTestSupport.awaitPhase(client, NS, "third", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "third");
    PromotionTestSupport.awaitPhase(client, NS, "third", Phase.Succeeded);

    for (String promotion : List.of("first", "second", "third")) {
      assertThat(PromotionTestSupport.jobsOf(client, NS, promotion)).as(promotion).hasSize(1);
    }
    assertThat(client.resources(EvidencePacket.class).inNamespace(NS).list().getItems())
        .extracting(p -> p.getSpec().promotion())
        .containsExactlyInAnyOrder("first", "second", "third");
    Environment dev = client.resources(Environment.class).inNamespace(NS).withName("dev").get();
    assertThat(dev.getStatus().getCurrent().release()).isEqualTo("r3");
  }
}
