package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.promotion.Promotion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The golden path in a loop for a set time ({@code -Dstella.soak.minutes}, {@code hack/test.sh soak
 * [minutes]}), the operator a JVM of its own: a new Release each round, promoted through a CEL
 * gate, approvals and deployments (the chaos run's agents); releases a few rounds old are deleted,
 * and an IlmClass that keeps nothing purges their evidence once no environment's history holds it,
 * so the cluster holds about as much at the end as at the start. Every sample reads the operator's
 * live heap (a class histogram's total, which collects first), threads, open file descriptors and
 * the API server's request rate; the trend is printed, and a run fails when threads, descriptors or
 * heap keep growing.
 */
@EnableKubeAPIServer
class OperatorSoak {
  static final double MINUTES = Double.parseDouble(System.getProperty("stella.soak.minutes", "3"));
  static final Duration SAMPLE = Duration.ofSeconds(15);
  static final int KEPT_RELEASES = 8;
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  record Sample(
      double minute,
      long heapMiB,
      int threads,
      int fds,
      double requestsPerSecond,
      int promotions,
      int packets,
      int succeeded) {}

  @Test
  void nothingGrowsButTheWorkDone() throws Exception {
    OperatorKillChaosIT.client = client; // the chaos run's fixtures, agents and approver
    String ns = OperatorKillChaosIT.NS;
    PromotionTestSupport.installCrdsAndNamespaces(client, ns);
    KubeApiServerSupport.installCrd(client, "agents");
    OperatorKillChaosIT.fixtures(OperatorKillChaosIT.whoAmI());
    PromotionTestSupport.apply(
        client,
        ns,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: soak}
        spec:
          retention: 0h
          default: true
          appliesTo: [EvidencePacket, DecisionRecord, Promotion, DeploymentJob, Approval]
        """);
    Path work = Files.createTempDirectory("stella-soak");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    ExecutorService background = Executors.newFixedThreadPool(4);
    var agents = OperatorKillChaosIT.agents(background);
    var approver = OperatorKillChaosIT.approver(background, new AtomicLong());
    OperatorKillChaosIT.renewLeases();
    List<Sample> samples = new ArrayList<>();
    try (var operator =
        OperatorProcess.start(work, kubeconfig, Map.of("STELLA_ILM_INTERVAL_SECONDS", "10"))) {
      operator.awaitReady();
      long start = System.nanoTime();
      long end = start + (long) (MINUTES * 60e9);
      long nextSample = start;
      double lastRequests = requests();
      long lastRequestsAt = System.nanoTime();
      int succeeded = 0;
      Map<String, Long> warm = null;
      int i = 0;
      while (System.nanoTime() < end) {
        String name = "s%05d".formatted(i);
        release(name, i);
        OperatorKillChaosIT.createThroughAdmission(name, name, OperatorKillChaosIT.environment(i));
        awaitEnded(name);
        if (i >= KEPT_RELEASES) {
          client
              .resources(io.stellaops.crds.release.Release.class)
              .inNamespace(ns)
              .withName("s%05d".formatted(i - KEPT_RELEASES))
              .delete();
        }
        i++;
        OperatorKillChaosIT.renewLeases();
        if (warm == null && System.nanoTime() - start > Duration.ofMinutes(1).toNanos()) {
          warm = operator.liveBytesByClass(); // after the first purges: the steady state
        }
        if (System.nanoTime() >= nextSample) {
          succeeded = (int) count("Succeeded");
          double requests = requests();
          long now = System.nanoTime();
          samples.add(
              sample(
                  operator,
                  (now - start) / 60e9,
                  (requests - lastRequests) / ((now - lastRequestsAt) / 1e9),
                  succeeded));
          System.out.println("soak: " + samples.getLast());
          lastRequests = requests;
          lastRequestsAt = now;
          nextSample = now + SAMPLE.toNanos();
        }
      }
      System.out.printf("soak: %d promotions in %.1f minutes%n", i, MINUTES);
      if (warm != null) {
        System.out.println("soak: live bytes grown most since the first minute, by class:");
        Map<String, Long> before = warm;
        operator.liveBytesByClass().entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(12)
            .forEach(
                e -> System.out.printf("soak:   %+8d KiB %s%n", e.getValue() >> 10, e.getKey()));
      }
    } finally {
      agents.close();
      approver.close();
      background.shutdownNow();
    }
    assertThat(samples).as("a soak needs at least six samples").hasSizeGreaterThanOrEqualTo(6);
    Trend threads = Trend.of(samples, s -> s.threads());
    Trend fds = Trend.of(samples, s -> s.fds());
    Trend heap = Trend.of(samples, s -> s.heapMiB());
    Trend rate = Trend.of(samples, s -> s.requestsPerSecond());
    System.out.printf(
        "soak trend (first third → last third): threads %s, file descriptors %s, heap after GC"
            + " MiB %s, API requests/s %s%n",
        threads, fds, heap, rate);
    assertThat(threads.growth()).as("threads keep growing").isLessThanOrEqualTo(10);
    assertThat(fds.growth()).as("file descriptors keep growing").isLessThanOrEqualTo(20);
    assertThat(heap.growth())
        .as("live heap keeps growing")
        .isLessThanOrEqualTo(Math.max(32, heap.first() * 0.5));
  }

  /** Mean of the first and of the last third of the samples. */
  record Trend(double first, double last) {
    static Trend of(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
      int third = Math.max(1, samples.size() / 3);
      double first = samples.subList(0, third).stream().mapToDouble(value).average().orElseThrow();
      double last =
          samples.subList(samples.size() - third, samples.size()).stream()
              .mapToDouble(value)
              .average()
              .orElseThrow();
      return new Trend(first, last);
    }

    double growth() {
      return last - first;
    }

    @Override
    public String toString() {
      return "%.1f → %.1f".formatted(first, last);
    }
  }

  /** A release of two components; every third a prerelease (prod's CEL gate denies it). */
  static void release(String name, int i) {
    PromotionTestSupport.apply(
        client,
        OperatorKillChaosIT.NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 2.%d.0%s
          components:
            - {name: api, image: registry.example.com/chaos/api, digest: sha256:%064x}
            - {name: web, image: registry.example.com/chaos/web, digest: sha256:%064x}
        """
            .formatted(name, i, i % 3 == 0 ? "-rc.1" : "", 1000 + i, 2000 + i));
  }

  static void awaitEnded(String name) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!OperatorKillChaosIT.allTerminal(List.of(name))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not end within 2 minutes");
      }
      OperatorKillChaosIT.sleep(100);
    }
  }

  static long count(String phase) {
    return client
        .resources(Promotion.class)
        .inNamespace(OperatorKillChaosIT.NS)
        .list()
        .getItems()
        .stream()
        .filter(
            p -> p.getStatus() != null && phase.equals(String.valueOf(p.getStatus().getPhase())))
        .count();
  }

  static Sample sample(OperatorProcess operator, double minute, double rate, int succeeded)
      throws Exception {
    long pid = operator.process.pid();
    long heapKb = operator.liveBytes() >> 10;
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    Matcher threads = Pattern.compile("Threads:\\s+(\\d+)").matcher(status);
    int fds;
    try (var open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = (int) open.count();
    }
    String ns = OperatorKillChaosIT.NS;
    return new Sample(
        Math.round(minute * 10) / 10.0,
        heapKb >> 10,
        threads.find() ? Integer.parseInt(threads.group(1)) : -1,
        fds,
        Math.round(rate * 10) / 10.0,
        client.resources(Promotion.class).inNamespace(ns).list().getItems().size(),
        client.resources(EvidencePacket.class).inNamespace(ns).list().getItems().size(),
        succeeded);
  }

  /** Every request the API server has served (its own counter, long-running verbs left out). */
  static double requests() {
    double total = 0;
    for (String line : client.raw("/metrics").split("\n")) {
      if (line.startsWith("apiserver_request_total{")
          && !line.contains("verb=\"WATCH\"")
          && !line.contains("verb=\"CONNECT\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
