package io.stellaops.controllers.export;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.EndedPromotions;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.export.Export;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An evidence export of N packets (each with its Promotion and DeploymentJob, signed by the
 * operator's key) on the real API server and registry: seconds from the Export's creation to
 * Complete (listed, bundled, signed, pushed, read back), bundle size, and the test JVM's heap,
 * beside the floor measured in the same run: one LIST of the same packets from the API server. A
 * benchmark, not a test. Run it with {@code hack/bench.sh export} (N with -Dstella.export.packets,
 * default 5000).
 */
@EnableKubeAPIServer
class ExportBenchmark {
  static final String NS = "bench";
  static final int PACKETS = Integer.getInteger("stella.export.packets", 5_000);
  static final String DIGEST = "sha256:" + "1".repeat(64);
  static KubernetesClient client;

  @Test
  void exportEvidence() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    EvidenceSigningKey key = EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM);
    try (LocalRegistry registry = LocalRegistry.start()) {
      long created = System.nanoTime();
      create(key);
      System.out.printf(
          "created %d packets, promotions and jobs in %.0f s%n",
          PACKETS, (System.nanoTime() - created) / 1e9);

      long listStart = System.nanoTime();
      int listed = client.resources(EvidencePacket.class).inNamespace(NS).list().getItems().size();
      double listSeconds = (System.nanoTime() - listStart) / 1e9;

      Run run =
          run(
              key,
              NS,
              "bench",
              "{profile: evidence, repository: %s/audit/bench}".formatted(registry.host()));
      Export done = run.done();
      double seconds = run.seconds();
      long heapBefore = run.heapBefore();
      long peakHeap = run.peakHeap();

      long verifyStart = System.nanoTime();
      byte[] bytes =
          ExportReconciler.registryClient(java.util.Set.of())
              .firstLayer(registry.host() + "/audit/bench:bench.bench", Optional.empty());
      Bundle bundle = Bundle.unchecked(bytes);
      List<String> problems = bundle.signatureProblems(key.publicKey());
      bundle.checked();
      double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;

      var status = done.getStatus();
      System.out.println();
      System.out.printf(
          "Export: %d packets (+ %d referenced objects), phase %s: %s%n",
          status.getObjects().getOrDefault("EvidencePacket", 0),
          status.getObjects().values().stream().mapToInt(Integer::intValue).sum()
              - status.getObjects().getOrDefault("EvidencePacket", 0),
          status.getPhase(),
          status.getMessage());
      System.out.printf(
          "  create → Complete  %6.1f s  = %5.0f packets/s (listed, bundled, signed, pushed, read back)%n",
          seconds, PACKETS / seconds);
      System.out.printf(
          "  peer: one LIST of the %d packets from the API server  %6.1f s  = %5.0f packets/s%n",
          listed, listSeconds, listed / listSeconds);
      System.out.printf(
          "  bundle %.1f MiB, %d files; fetched and verified again in %.1f s (%s)%n",
          bytes.length / 1048576.0,
          bundle.files().size(),
          verifySeconds,
          problems.isEmpty() ? "signatures OK" : problems);
      System.out.printf(
          "  test JVM heap: %d MiB before, %d MiB peak during the export (garbage included)%n",
          heapBefore >> 20, peakHeap >> 20);
      System.out.println();
    }
  }

  /** An Export's run: the Export once it has a phase, how long, and the test JVM's heap. */
  record Run(Export done, double seconds, long heapBefore, long peakHeap) {}

  /**
   * Creates Export {@code name} with {@code spec} under an operator running only the export
   * controller, as the operator wires it, and waits for a phase.
   */
  static Run run(EvidenceSigningKey key, String ns, String name, String spec) throws Exception {
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(
        new ExportReconciler(
            Clock.systemUTC(),
            ExportReconciler.registryClient(java.util.Set.of()),
            () -> key,
            new ExportReconciler.Settings(
                PromotionTestSupport.SYSTEM, "bench", Duration.ofSeconds(5))));
    operator.start();
    try {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long start = System.nanoTime();
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: Export
              metadata: {name: %s, namespace: %s}
              spec: %s
              """
                  .formatted(name, ns, spec))
          .create();
      Export done;
      while (true) {
        done = client.resources(Export.class).inNamespace(ns).withName(name).get();
        if (done.getStatus() != null && done.getStatus().getPhase() != null) {
          break;
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long peakHeap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum();
      return new Run(done, seconds, heapBefore, peakHeap);
    } finally {
      operator.stop();
    }
  }

  static final int IMAGES = Integer.getInteger("stella.export.images", 20);
  static final int IMAGE_MIB = Integer.getInteger("stella.export.imageMiB", 4);

  /**
   * A mirror of IMAGES images (one layer of IMAGE_MIB MiB of random bytes each, signed by the real
   * cosign) in Releases of five components: create → Complete, bundle size and heap, beside the
   * peer in the same run, {@code cosign save} of the same images (with their signatures) to disk.
   */
  @Test
  void exportMirror() throws Exception {
    String ns = "bench-mirror";
    PromotionTestSupport.installCrdsAndNamespaces(client, ns);
    EvidenceSigningKey key = EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM);
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path work = Files.createTempDirectory("stella-mirror-bench");
      var cosign = new CosignCli(work);
      cosign.generateKeyPair("release");
      var random = new java.util.Random(42);
      List<String> images = new java.util.ArrayList<>();
      StringBuilder releases = new StringBuilder();
      for (int i = 0; i < IMAGES; i++) {
        Path content = Files.createDirectories(work.resolve("image-" + i));
        byte[] bytes = new byte[IMAGE_MIB << 20];
        random.nextBytes(bytes);
        Files.write(content.resolve("payload"), bytes);
        String image = registry.host() + "/shop/app-" + i;
        String digest = TestImages.pushFiles(image + ":1.0.0", content);
        cosign.sign(image + "@" + digest, "release");
        images.add(image + "@" + digest);
        if (i % 5 == 0) {
          releases.append(
              "---\napiVersion: stellaops.io/v1alpha1\nkind: Release\nmetadata: {name: r-%d}\nspec:\n  version: 1.0.%d\n  components:\n"
                  .formatted(i / 5, i / 5));
        }
        releases.append(
            "    - {name: app-%d, image: %s, digest: \"%s\"}\n".formatted(i, image, digest));
      }
      String pem = cosign.publicKeyPem("release").strip().replace("\n", "\n          ");
      PromotionTestSupport.apply(
          client,
          ns,
          releases
              + """
              ---
              apiVersion: stellaops.io/v1alpha1
              kind: TrustPolicy
              metadata: {name: bench-images}
              spec:
                images: ["%s/shop/**"]
                authorities:
                  - name: release
                    key:
                      publicKey: |
                        %s
              """
                  .formatted(registry.host(), pem));

      Run run =
          run(
              key,
              ns,
              "mirror",
              "{profile: mirror, repository: %s/audit/mirror}".formatted(registry.host()));
      Export done = run.done();
      double seconds = run.seconds();
      long peakHeap = run.peakHeap();

      long peerStart = System.nanoTime();
      long peerBytes = 0;
      for (int i = 0; i < images.size(); i++) {
        Path dir = work.resolve("saved-" + i);
        cosign.run("save", "--dir", dir.toString(), images.get(i));
        try (var files = Files.walk(dir)) {
          peerBytes += files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
      }
      double peerSeconds = (System.nanoTime() - peerStart) / 1e9;

      var status = done.getStatus();
      double mib = status.getBundle() == null ? 0 : status.getBundle().size() / 1048576.0;
      System.out.println();
      System.out.printf(
          "Mirror export: %d images of %d MiB, phase %s: %s%n",
          IMAGES, IMAGE_MIB, status.getPhase(), status.getMessage());
      System.out.printf(
          "  create → Complete  %6.1f s  = %5.1f MiB/s (copied from the registry, bundled, signed, pushed, read back)%n",
          seconds, mib / seconds);
      System.out.printf(
          "  peer: cosign save of the same %d images to disk  %6.1f s  = %5.1f MiB/s (%.1f MiB)%n",
          images.size(), peerSeconds, peerBytes / 1048576.0 / peerSeconds, peerBytes / 1048576.0);
      System.out.printf(
          "  bundle %.1f MiB; test JVM heap peak during the export %d MiB (garbage included)%n",
          mib, peakHeap >> 20);
      System.out.println();
    }
  }

  /** N ended promotions, one job and one signed evidence packet each (a 2 KiB Statement). */
  static void create(EvidenceSigningKey key) throws Exception {
    EndedPromotions.create(
        client,
        NS,
        PACKETS,
        name -> {
          // a Statement of a realistic size: recorded inputs are 1–3 KiB
          String statement =
              "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"promotion\":\"%s\",\"inputs\":\"%s\"}}"
                  .formatted(name, "x".repeat(2048));
          var envelope =
              Dsse.sign(
                  "application/vnd.in-toto+json",
                  statement.getBytes(StandardCharsets.UTF_8),
                  key.privateKey(),
                  key.keyId());
          return """
          apiVersion: stellaops.io/v1alpha1
          kind: EvidencePacket
          metadata: {name: %1$s}
          spec:
            promotion: %1$s
            release: r-old
            environment: prod
            decision: deny
            inputsHash: %2$s
            ilmClass: default
            subject: [{name: api, image: registry.example.com/shop/api, digest: %2$s}]
            envelope:
              payloadType: application/vnd.in-toto+json
              payload: %3$s
              signatures: [{keyid: %4$s, sig: %5$s}]
          """
              .formatted(
                  name,
                  EndedPromotions.DIGEST,
                  envelope.payload(),
                  key.keyId(),
                  envelope.signatures().getFirst().sig());
        });
  }
}
