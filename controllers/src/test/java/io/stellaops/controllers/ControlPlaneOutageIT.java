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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane goes away under a running operator: etcd frozen (SIGSTOP: the API server
 * answers with errors and timeouts), then the API server itself frozen (watches and requests hang),
 * each for {@code stella.outage.seconds} (8 by default; longer ones run with
 * -Dstella.outage.seconds=90), while a promotion's jobs have just been reported done and another
 * waits behind it. Once both are back, everything the operator had to do is done, once: each
 * promotion ends, with one evidence packet and one job, and the queue moves on without a touch.
 */
@EnableKubeAPIServer
class ControlPlaneOutageIT {
  static final String NS = "shop";
  static final int OUTAGE = Integer.getInteger("stella.outage.seconds", 8);
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

  @Test
  void aFrozenEtcdAndAFrozenApiServerLoseNothingAndRepeatNothing() throws Exception {
    PromotionTestSupport.promote(client, NS, "first", "r1", "dev");
    PromotionTestSupport.awaitPhase(client, NS, "first", Phase.Deploying);
    PromotionTestSupport.promote(client, NS, "second", "r2", "dev"); // queued behind first
    PromotionTestSupport.completeJobs(client, NS, "first");

    Instant start = Instant.now();
    outage("etcd");
    outage("kube-apiserver");
    System.out.printf(
        "control plane outage: etcd then kube-apiserver frozen %d s each (%d s in all)%n",
        OUTAGE, Duration.between(start, Instant.now()).toSeconds());

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
