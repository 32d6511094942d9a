package io.stellaops.controllers.ilmclass;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.EndedPromotions;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle draining a backlog, on the real API server and registry: N expired EvidencePackets,
 * each with its Promotion and DeploymentJob (as the operator creates them: evidence with its
 * finalizer), archived (pushed, read back, verified) and purged by one operator. Prints objects/s,
 * the API server's request rate and p99 latency (from its own /metrics) while idle and while the
 * lifecycle runs, and the operator JVM's heap. A benchmark, not a test: it asserts nothing about
 * speed. Run it with {@code hack/bench.sh ilm} (N with -Dstella.ilm.packets, default 10000).
 */
@EnableKubeAPIServer
class IlmBenchmark {
  static final String NS = "bench";
  static final int PACKETS = Integer.getInteger("stella.ilm.packets", 10_000);
  static final IlmClassReconciler.Settings SETTINGS =
      new IlmClassReconciler.Settings(
          Duration.ofMinutes(1),
          1000,
          Integer.getInteger("stella.ilm.writes", 200),
          Integer.getInteger("stella.ilm.parallelism", IlmClassReconciler.Settings.PARALLELISM),
          PromotionTestSupport.SYSTEM);
  static final String DIGEST = "sha256:" + "1".repeat(64);
  static KubernetesClient client;

  @Test
  void drainABacklog() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    try (LocalRegistry registry = LocalRegistry.start()) {
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: IlmClass
              metadata: {name: bench}
              spec:
                retention: 1h
                default: true
                appliesTo: [EvidencePacket, Promotion, DeploymentJob]
                onExpiry: Archive
                archiveRepository: %s/archive/bench
              """
                  .formatted(registry.host()))
          .serverSideApply();
      long created = System.nanoTime();
      create();
      double createSeconds = (System.nanoTime() - created) / 1e9;
      System.out.printf(
          "created %d packets, %d promotions, %d jobs in %.0f s (8 client threads)%n",
          PACKETS, PACKETS, PACKETS, createSeconds);

      ApiServerMetrics idle = ApiServerMetrics.read(client);
      Thread.sleep(5_000);
      ApiServerMetrics idleEnd = ApiServerMetrics.read(client);

      MovableClock clock = new MovableClock();
      clock.advance(Duration.ofHours(2));
      var memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      Operator operator =
          new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
      IlmInventory inventory = new IlmInventory(client);
      operator.register(
          new IlmClassReconciler(
              clock,
              inventory,
              new RegistryClient(Duration.ofSeconds(10)),
              // loaded once, as the operator does
              com.google.common.base.Suppliers.memoize(
                  () -> EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM)),
              SETTINGS));
      long start = System.nanoTime();
      operator.start();
      ApiServerMetrics previous = ApiServerMetrics.read(client);
      ApiServerMetrics first = previous;
      double peakRate = 0;
      double peakP99 = 0;
      long peakHeap = 0;
      int remaining = 3 * PACKETS;
      List<String> timeline = new ArrayList<>();
      while (remaining > 0) {
        Thread.sleep(5_000);
        ApiServerMetrics now = ApiServerMetrics.read(client);
        double seconds = (now.at - previous.at) / 1e9;
        double rate = now.requests(previous) / seconds;
        double p99 = now.p99(previous);
        peakRate = Math.max(peakRate, rate);
        peakP99 = Math.max(peakP99, p99);
        if (timeline.size() % 6 == 0) {
          System.gc(); // live heap, not garbage not yet collected; every 30 s, it costs CPU too
          peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        }
        remaining =
            count(EvidencePacket.class) + count(Promotion.class) + count(DeploymentJob.class);
        timeline.add(
            String.format(
                "  t=%4.0fs  left %6d  API %6.0f req/s  p99 %5.3f s",
                (now.at - start) / 1e9, remaining, rate, p99));
        previous = now;
        if ((System.nanoTime() - start) > Duration.ofMinutes(30).toNanos()) {
          System.out.println("gave up after 30 minutes with " + remaining + " objects left");
          break;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ApiServerMetrics last = ApiServerMetrics.read(client);
      IlmClass cls = client.resources(IlmClass.class).withName("bench").get();
      operator.stop();
      inventory.close();

      System.out.println();
      System.out.printf(
          "ILM backlog: %d EvidencePackets + %d Promotions + %d DeploymentJobs, class bench"
              + " (retention 1h, Archive to the local registry), %d purges/run,"
              + " %.0f writes/s, %d at once%n",
          PACKETS,
          PACKETS,
          PACKETS,
          SETTINGS.purgesPerRun(),
          SETTINGS.writesPerSecond(),
          SETTINGS.parallelism());
      timeline.forEach(System.out::println);
      System.out.printf(
          "  drained %d objects in %.0f s: %.0f objects/s archived and purged; class status: %s%n",
          3 * PACKETS - remaining,
          seconds,
          (3 * PACKETS - remaining) / seconds,
          cls.getStatus() == null ? "-" : cls.getStatus().getConditions().get(0).message());
      int bundles = tags(registry.host(), "archive/bench");
      System.out.printf(
          "  %d bundles pushed, read back and verified: %.0f/s (a packet's bundle carries its"
              + " promotion and job, which then need none of their own)%n",
          bundles, bundles / seconds);
      System.out.printf(
          "  kube-apiserver, idle:        %6.0f req/s, p99 %.3f s%n",
          idleEnd.requests(idle) / ((idleEnd.at - idle.at) / 1e9), idleEnd.p99(idle));
      System.out.printf(
          "  kube-apiserver, ILM running: %6.0f req/s peak (5 s windows), p99 %.3f s over the"
              + " run, %.3f s worst 5 s window%n",
          peakRate, last.p99(first), peakP99);
      System.out.printf(
          "  live heap after GC (whole JVM: test, informers and operator): %d MiB before, %d MiB"
              + " peak%n",
          heapBefore >> 20, peakHeap >> 20);
      System.out.println();
    }
  }

  /** How many tags a repository of the registry has (every archive and purge log is one). */
  static int tags(String registry, String repository) throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://" + registry + "/v2/" + repository + "/tags/list?n=1000000"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return io.stellaops.supplychain.json.CanonicalJson.MAPPER
        .readTree(response.body())
        .path("tags")
        .size();
  }

  /**
   * How many there are, from a one-item page: listing 30,000 objects every 5 s would weigh on the
   * run measured.
   */
  static int count(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type) {
    var page =
        client
            .resources(type)
            .inNamespace(NS)
            .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    Long more = page.getMetadata().getRemainingItemCount();
    return page.getItems().size() + (more == null ? 0 : more.intValue());
  }

  /** N promotions (ended), one job and one evidence packet each (with the ILM finalizer). */
  static void create() throws Exception {
    String payload =
        Base64.getEncoder()
            .encodeToString("{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes());
    EndedPromotions.create(
        client,
        NS,
        PACKETS,
        name ->
            """
            apiVersion: stellaops.io/v1alpha1
            kind: EvidencePacket
            metadata: {name: %1$s, finalizers: [stellaops.io/ilm]}
            spec:
              promotion: %1$s
              release: r-old
              environment: prod
              decision: deny
              inputsHash: %2$s
              ilmClass: bench
              subject: [{name: api, image: registry.example.com/shop/api, digest: %2$s}]
              envelope:
                payloadType: application/vnd.in-toto+json
                payload: %3$s
                signatures: [{keyid: bench, sig: c2lnbmF0dXJl}]
            """
                .formatted(name, EndedPromotions.DIGEST, payload));
  }

  /** The API server's request counters and latency histogram, long-running verbs left out. */
  record ApiServerMetrics(long at, double count, Map<Double, Double> buckets) {
    private static final Pattern BUCKET =
        Pattern.compile(
            "^apiserver_request_duration_seconds_bucket\\{(.*)le=\"([^\"]+)\"\\} (\\S+)$");

    static ApiServerMetrics read(KubernetesClient client) {
      String text = client.raw("/metrics");
      Map<Double, Double> buckets = new TreeMap<>();
      for (String line : text.split("\n")) {
        Matcher m = BUCKET.matcher(line);
        if (!m.matches()
            || m.group(1).contains("verb=\"WATCH\"")
            || m.group(1).contains("verb=\"CONNECT\"")) {
          continue;
        }
        double le =
            m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
        buckets.merge(le, Double.parseDouble(m.group(3)), Double::sum);
      }
      return new ApiServerMetrics(
          System.nanoTime(), buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0), buckets);
    }

    double requests(ApiServerMetrics before) {
      return count - before.count;
    }

    /**
     * The upper bound of the bucket holding the 99th percentile of requests since {@code before}.
     */
    double p99(ApiServerMetrics before) {
      double total = requests(before);
      if (total <= 0) {
        return 0;
      }
      for (var e : buckets.entrySet()) {
        double cumulative = e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0);
        if (cumulative >= 0.99 * total) {
          return e.getKey();
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }
}
