package io.stellaops.operator;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator at scale, as a separate JVM (default heap) on the real API server: N Releases of 5
 * digest-pinned components, each naming one SBOM artifact in the local registry, an AdvisoryFeed
 * read from a directory and a TrustPolicy that covers none of them. Prints, from the API server's
 * own {@code apiserver_request_total}: requests while the Releases settle, idle requests/s, the
 * requests and time one TrustPolicy edit costs, the time and requests to re-gate every Release
 * after the feed gains an advisory, and a restart's time to Ready and requests to settle; from the
 * operator process: RSS, heap after a full GC, CPU seconds. The benchmark's own requests are not
 * counted (it watches; its /metrics reads are subtracted). A benchmark, not a test: it asserts
 * nothing about speed. Run it with {@code hack/bench.sh scale} (N with -Dstella.scale.releases).
 */
@EnableKubeAPIServer
class ScaleBenchmark {
  static final String NS = "bench";
  static final int RELEASES = Integer.getInteger("stella.scale.releases", 10_000);
  static final Duration IDLE = Duration.ofSeconds(150);
  static final String ADDED_ADVISORY = "GHSA-2qrg-x229-3v8q"; // log4j 1.2.17, in the SBOM
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  @Test
  void releasesAtScale() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    Path work = Files.createTempDirectory("stella-scale");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    Path feed = work.resolve("feed");
    Files.createDirectories(feed);
    try (var records = Files.list(TestData.path("osv", "ghsa-from-osv-scalibr"))) {
      for (Path record : records.toList()) {
        if (!record.getFileName().toString().startsWith(ADDED_ADVISORY)) {
          Files.copy(record, feed.resolve(record.getFileName()));
        }
      }
    }
    List<String> report = new ArrayList<>();
    try (LocalRegistry registry = LocalRegistry.start()) {
      String sbom =
          TestImages.pushArtifact(
              registry.host() + "/bench/sbom:1",
              "application/vnd.cyclonedx+json",
              """
              {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
               "components": [{"type": "library", "group": "log4j", "name": "log4j",
                 "version": "1.2.17", "purl": "pkg:maven/log4j/log4j@1.2.17"}]}
              """
                  .getBytes(StandardCharsets.UTF_8));
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: TrustPolicy
              metadata: {name: elsewhere}
              spec:
                images: ["registry.example.com/elsewhere/**"]
                authorities:
                  - name: k
                    key:
                      publicKey: |
                        -----BEGIN PUBLIC KEY-----
                        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeWG70LqgKbeYsBRiQ9etE6/C0i6+
                        Sgfnqkkn4wgFhnOY9RFtbdSRR0fow8hMzQ4HK81yY/v7uckDz4GMRYeFMQ==
                        -----END PUBLIC KEY-----
              """)
          .serverSideApply();
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: AdvisoryFeed
              metadata: {name: ghsa}
              spec: {source: {path: %s}, refreshInterval: 2s}
              """
                  .formatted(feed.toAbsolutePath()))
          .serverSideApply();

      feeds = client.resources(AdvisoryFeed.class).inform();
      var operator =
          OperatorProcess.start(
              work, kubeconfig, Map.of("STELLA_INSECURE_REGISTRIES", registry.host()));
      try {
        report.add(
            "operator start → Ready: %.1f s (empty cluster)".formatted(operator.awaitReady()));
        await(() -> feedSnapshot() != null, Duration.ofMinutes(1));
        String firstSnapshot = feedSnapshot();

        SharedIndexInformer<Release> releases =
            client.resources(Release.class).inNamespace(NS).inform();
        ApiServer before = ApiServer.read();
        long created = System.nanoTime();
        create(sbom, registry.host());
        double createSeconds = seconds(created);
        await(() -> settled(releases, firstSnapshot), Duration.ofMinutes(30));
        double settleSeconds = seconds(created);
        ApiServer after = ApiServer.read();
        report.add(
            "%d Releases created through admission in %.0f s (8 clients), all verified and matched"
                    .formatted(RELEASES, createSeconds)
                + " after %.0f s".formatted(settleSeconds));
        report.add("  operator requests while they settled: " + after.minusOwn(before, RELEASES));

        ApiServer idle = ApiServer.read();
        Thread.sleep(IDLE.toMillis());
        ApiServer idleEnd = ApiServer.read();
        double idleRate = idleEnd.operatorRequests(idle) / ((idleEnd.at - idle.at) / 1e9);
        report.add(
            "idle: %.2f requests/s beyond watches (%d s, longer than the 2-minute recheck)"
                .formatted(idleRate, IDLE.toSeconds()));

        ApiServer edit = ApiServer.read();
        long edited = System.nanoTime();
        client
            .resources(TrustPolicy.class)
            .withName("elsewhere")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/spec/images/-\","
                    + "\"value\":\"registry.example.com/elsewhere-too/**\"}]");
        ApiServer.own("PATCH trustpolicies");
        double quiet = quiet(edited);
        ApiServer editEnd = ApiServer.read();
        report.add(
            "one TrustPolicy edit (covers none of them): %s, busy %.1f s"
                .formatted(editEnd.minusOwn(edit, 0), quiet));

        ApiServer regate = ApiServer.read();
        long added = System.nanoTime();
        Files.copy(
            TestData.path("osv", "ghsa-from-osv-scalibr", ADDED_ADVISORY + ".json"),
            feed.resolve(ADDED_ADVISORY + ".json"));
        await(() -> !Objects.equals(feedSnapshot(), firstSnapshot), Duration.ofMinutes(1));
        String secondSnapshot = feedSnapshot();
        double loaded = seconds(added);
        await(() -> settled(releases, secondSnapshot), Duration.ofMinutes(30));
        double regated = seconds(added);
        double regateQuiet = quiet(added);
        ApiServer regateEnd = ApiServer.read();
        report.add(
            ("the feed gains an advisory: snapshot loaded after %.1f s, every Release re-matched"
                    + " after %.1f s (%.1f s after the load), busy %.1f s")
                .formatted(loaded, regated, regated - loaded, regateQuiet));
        report.add("  requests: %s".formatted(regateEnd.minusOwn(regate, 0)));
        releases.close();
        feeds.close();

        report.add("operator process: " + operator.resources());
        report.add("  live heap by class (top 8):\n" + operator.heapTop(8));
        ApiServer restart = ApiServer.read();
        operator.close();
        long restarted = System.nanoTime();
        operator =
            OperatorProcess.start(
                work, kubeconfig, Map.of("STELLA_INSECURE_REGISTRIES", registry.host()));
        double ready = operator.awaitReady();
        double restartQuiet = quiet(restarted);
        ApiServer restartEnd = ApiServer.read();
        report.add(
            "restart with %d Releases: Ready after %.1f s, busy %.1f s, requests %s"
                .formatted(RELEASES, ready, restartQuiet, restartEnd.minusOwn(restart, 0)));
        report.add("operator process after restart: " + operator.resources());
      } finally {
        operator.close();
      }
    }
    System.out.println();
    System.out.println(
        "Scale: Releases, kube-apiserver " + client.getKubernetesVersion().getGitVersion());
    report.forEach(line -> System.out.println("  " + line));
    System.out.println();
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static SharedIndexInformer<AdvisoryFeed> feeds;

  static String feedSnapshot() {
    AdvisoryFeed f = feeds.getStore().getByKey("ghsa");
    return f == null || f.getStatus() == null ? null : f.getStatus().getSnapshotDigest();
  }

  /** Every Release has a verdict for each component and findings from {@code snapshot}. */
  static boolean settled(SharedIndexInformer<Release> releases, String snapshot) {
    var all = releases.getStore().list();
    return all.size() == RELEASES
        && all.stream()
            .allMatch(r ->
                r.getStatus() != null
                    && r.getStatus().getComponents() != null
                    && r.getStatus().getComponents().size() == 5
                    && r.getStatus().getComponents().stream()
                        .allMatch(c ->
                            c.findings() != null
                                && c.findings().feedDigest() != null
                                && c.findings().feedDigest().contains(snapshot)));
  }

  /**
   * Seconds from {@code since} to the last second in which the operator made more than one request,
   * once five quiet seconds in a row show it has settled.
   */
  static double quiet(long since) throws InterruptedException {
    ApiServer previous = ApiServer.read();
    double lastBusy = seconds(since);
    int quietSeconds = 0;
    while (quietSeconds < 5) {
      Thread.sleep(1_000);
      ApiServer now = ApiServer.read();
      if (now.operatorRequests(previous) > 1) {
        lastBusy = seconds(since);
        quietSeconds = 0;
      } else {
        quietSeconds++;
      }
      previous = now;
    }
    return lastBusy;
  }

  static void await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + atMost);
      }
      Thread.sleep(500);
    }
  }

  /** N Releases of 5 digest-pinned components, each naming the SBOM artifact, 8 at a time. */
  static void create(String sbom, String registry) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < RELEASES; i++) {
      StringBuilder components = new StringBuilder();
      for (int c = 0; c < 5; c++) {
        components.append(
            "    - {name: c%d, image: registry.example.com/bench/app%d-c%d, digest: sha256:%064x,"
                    .formatted(c, i, c, (long) i * 5 + c)
                + " sbom: {image: %s/bench/sbom, digest: %s}}\n".formatted(registry, sbom));
      }
      String yaml =
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r%d, namespace: %s}
          spec:
            version: 1.0.%d
            components:
          %s\
          """
              .formatted(i, NS, i, components);
      done.add(
          pool.submit(() -> {
            client.resource(yaml).create();
            ApiServer.own("POST releases");
          }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  /**
   * {@code apiserver_request_total} by verb and resource (long-running verbs left out), less the
   * requests this benchmark made itself (its /metrics reads and its edits).
   */
  record ApiServer(long at, Map<String, Double> byVerbAndResource) {
    private static final Pattern TOTAL =
        Pattern.compile("^apiserver_request_total\\{(.*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Map<String, Double> OWN = new TreeMap<>();

    /** Counts a request the benchmark made, so it is not counted as the operator's. */
    static synchronized void own(String key) {
      OWN.merge(key, 1.0, Double::sum);
    }

    static synchronized ApiServer read() {
      String text = client.raw("/metrics");
      Map<String, Double> counts = new TreeMap<>();
      for (String line : text.split("\n")) {
        Matcher m = TOTAL.matcher(line);
        if (!m.matches()) {
          continue;
        }
        Map<String, String> labels = new TreeMap<>();
        Matcher l = LABEL.matcher(m.group(1));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        String verb = labels.getOrDefault("verb", "");
        if (verb.equals("WATCH") || verb.equals("CONNECT")) {
          continue;
        }
        String resource = labels.getOrDefault("resource", "");
        String sub = labels.getOrDefault("subresource", "");
        String key =
            verb
                + " "
                + (resource.isEmpty() ? "/metrics" : resource)
                + (sub.isEmpty() ? "" : "/" + sub);
        counts.merge(key, Double.parseDouble(m.group(2)), Double::sum);
      }
      // this read is counted by the API server once it is answered, i.e. in the next snapshot
      OWN.forEach((k, v) -> counts.merge(k, -v, Double::sum));
      own("GET /metrics");
      return new ApiServer(System.nanoTime(), counts);
    }

    Map<String, Double> delta(ApiServer before) {
      Map<String, Double> d = new TreeMap<>();
      byVerbAndResource.forEach((k, v) -> {
        double n = v - before.byVerbAndResource.getOrDefault(k, 0.0);
        if (n > 0) {
          d.put(k, n);
        }
      });
      return d;
    }

    /** The operator's requests since {@code before}. */
    double operatorRequests(ApiServer before) {
      return delta(before).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** "total N (writes W, reads R): VERB resource n, …", the busiest first. */
    String minusOwn(ApiServer before, int perRelease) {
      Map<String, Double> d = delta(before);
      double writes = 0;
      double reads = 0;
      for (var e : d.entrySet()) {
        if (e.getKey().startsWith("GET") || e.getKey().startsWith("LIST")) {
          reads += e.getValue();
        } else {
          writes += e.getValue();
        }
      }
      StringBuilder s =
          new StringBuilder(
              "total %.0f (writes %.0f, reads %.0f)".formatted(writes + reads, writes, reads));
      if (perRelease > 0) {
        s.append(
            " = %.1f writes + %.1f reads per Release"
                .formatted(writes / perRelease, reads / perRelease));
      }
      s.append(": ");
      d.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(8)
          .forEach(e -> s.append("%s %.0f, ".formatted(e.getKey(), e.getValue())));
      return s.substring(0, s.length() - 2);
    }
  }
}
