package io.stellaops.webhooks;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.cosign.LocalSigstore;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Release admission with signature verification, measured against the real API server, registry and
 * cosign: latency of a Release CREATE with 5 components signed with a key, then keyless (a private
 * Sigstore's trust root), then keyless as Sigstore bundles on a registry with the referrers API,
 * with the verdict cache cold and warm, sustained admissions per second, and `cosign verify` of the
 * same images in the same run. A benchmark, not a test: it prints figures and asserts nothing about
 * speed. Run it with {@code hack/bench.sh admission}.
 */
@EnableKubeAPIServer
class AdmissionBenchmark {
  static final String NS = "bench";
  static final int COMPONENTS = 5;
  static final int SAMPLES = 30;
  static final String ISSUER = "https://token.actions.example.com";
  static final String SUBJECT = "ci@example.com";
  static KubernetesClient client;

  @Test
  void releaseAdmission() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    try (LocalRegistry registry = LocalRegistry.start();
        LocalRegistry referrers = LocalRegistry.startWithReferrersApi()) {
      Path keys = Files.createTempDirectory("stella-bench-keys");
      CosignCli cosign = new CosignCli(keys);
      cosign.generateKeyPair("ci");
      List<String> images = new ArrayList<>();
      List<String> digests = new ArrayList<>();
      for (int i = 0; i < COMPONENTS; i++) {
        String image = registry.host() + "/bench/svc" + i;
        String digest = TestImages.push(image + ":1.0.0", "svc " + i);
        cosign.sign(image + "@" + digest, "ci");
        images.add(image);
        digests.add(digest);
      }
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: TrustPolicy
              metadata: {name: bench}
              spec:
                images: ["%s/bench/**"]
                authorities:
                  - name: ci
                    key:
                      publicKey: |
                        %s
              """
                  .formatted(
                      registry.host(),
                      cosign.publicKeyPem("ci").strip().replace("\n", "\n                ")))
          .serverSideApply();
      LocalSigstore sigstore = LocalSigstore.start("bench");
      List<String> keylessImages = new ArrayList<>();
      List<String> keylessDigests = new ArrayList<>();
      for (int i = 0; i < COMPONENTS; i++) {
        String image = registry.host() + "/keyless/svc" + i;
        String digest = TestImages.push(image + ":1.0.0", "keyless svc " + i);
        cosign.signKeyless(image + "@" + digest, sigstore, ISSUER, SUBJECT, true);
        keylessImages.add(image);
        keylessDigests.add(digest);
      }
      List<String> bundleImages = new ArrayList<>();
      List<String> bundleDigests = new ArrayList<>();
      for (int i = 0; i < COMPONENTS; i++) {
        String image = referrers.host() + "/bundles/svc" + i;
        String digest = TestImages.push(image + ":1.0.0", "bundled svc " + i);
        cosign.signKeyless(
            image + "@" + digest, sigstore, ISSUER, SUBJECT, true, "--new-bundle-format");
        bundleImages.add(image);
        bundleDigests.add(digest);
      }
      Path trustedRoot = sigstore.writeTrustedRoot(keys.resolve("trusted_root.json"));
      sigstore.close();
      PromotionTestSupport.trustRootSecret(
          client, NS, "sigstore-root", Files.readString(trustedRoot));
      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: TrustPolicy
              metadata: {name: bench-keyless}
              spec:
                images: ["%s/keyless/**", "%s/bundles/**"]
                authorities:
                  - name: ci
                    keyless:
                      issuer: %s
                      subject: %s
                      trustRoot: {namespace: %s, name: sigstore-root}
              """
                  .formatted(registry.host(), referrers.host(), ISSUER, SUBJECT, NS))
          .serverSideApply();
      TrustEvaluator evaluator = LoopbackAdmission.evaluator();
      try (AdmissionServer server =
          LoopbackAdmission.start(
              client,
              Map.of(
                  ReleaseAdmission.PATH, LoopbackAdmission.releaseAdmission(client, evaluator)))) {
        AtomicInteger names = new AtomicInteger();
        for (int i = 0; i < 5; i++) { // warm up the JIT, the API server and the webhook path
          create(images, "warmup-" + names.incrementAndGet());
        }
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          evaluator.forget();
          cold.add(timed(() -> create(images, "cold-" + names.incrementAndGet())));
        }
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          warm.add(timed(() -> create(images, "warm-" + names.incrementAndGet())));
        }
        List<Long> keylessCold = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          evaluator.forget();
          keylessCold.add(
              timed(() -> create(keylessImages, "keyless-cold-" + names.incrementAndGet())));
        }
        List<Long> keylessWarm = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          keylessWarm.add(
              timed(() -> create(keylessImages, "keyless-warm-" + names.incrementAndGet())));
        }
        List<Long> bundleCold = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          evaluator.forget();
          bundleCold.add(
              timed(() -> create(bundleImages, "bundle-cold-" + names.incrementAndGet())));
        }
        List<Long> bundleWarm = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          bundleWarm.add(
              timed(() -> create(bundleImages, "bundle-warm-" + names.incrementAndGet())));
        }
        List<Long> untouched = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          untouched.add(timed(() -> create(List.of(), "none-" + names.incrementAndGet())));
        }
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
          String name = "plain-" + names.incrementAndGet();
          plain.add(
              timed(() ->
                  client
                      .configMaps()
                      .inNamespace(NS)
                      .resource(
                          new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                              .withNewMetadata()
                              .withName(name)
                              .endMetadata()
                              .build())
                      .create()));
        }
        int threads = 8;
        Duration window = Duration.ofSeconds(10);
        AtomicInteger admitted = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
          for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
              while (System.nanoTime() - start < window.toNanos()) {
                create(images, "load-" + names.incrementAndGet());
                admitted.incrementAndGet();
              }
              return null;
            });
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Long> cosignOne = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          String ref = images.get(0) + "@" + digests.get(0);
          cosignOne.add(timed(() -> cosign.verify(ref, "ci")));
        }
        List<Long> cosignKeyless = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          String ref = keylessImages.get(0) + "@" + keylessDigests.get(0);
          cosignKeyless.add(timed(() -> cosign.verifyKeyless(ref, trustedRoot, ISSUER, SUBJECT)));
        }
        List<Long> cosignBundle = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          String ref = bundleImages.get(0) + "@" + bundleDigests.get(0);
          cosignBundle.add(
              timed(() ->
                  cosign.verifyKeyless(ref, trustedRoot, ISSUER, SUBJECT, "--new-bundle-format")));
        }
        long cosignFive =
            timed(() -> {
              for (int i = 0; i < COMPONENTS; i++) {
                cosign.verify(images.get(i) + "@" + digests.get(i), "ci");
              }
            });

        System.out.printf(
            """

            Release admission, %d signed components, real kube-apiserver %s, registry, cosign %s
            (%d samples each; client-side CREATE latency through the API server and the webhook)
              CREATE, verdict cache cold      p50 %6.1f ms   p99 %6.1f ms
              CREATE, verdict cache warm      p50 %6.1f ms   p99 %6.1f ms
              CREATE, keyless, cache cold     p50 %6.1f ms   p99 %6.1f ms   (chain, SCT, SET offline)
              CREATE, keyless, cache warm     p50 %6.1f ms   p99 %6.1f ms
              CREATE, keyless bundles, cold   p50 %6.1f ms   p99 %6.1f ms   (referrers API, inclusion proof)
              CREATE, keyless bundles, warm   p50 %6.1f ms   p99 %6.1f ms
              CREATE, no components checked   p50 %6.1f ms   p99 %6.1f ms   (webhook, no registry)
              CREATE ConfigMap, no webhook    p50 %6.1f ms   p99 %6.1f ms   (API server floor)
              sustained, warm, %d clients     %6.1f admissions/s
              cosign verify, 1 image          p50 %6.1f ms   (CLI, same key, same registry)
              cosign verify, %d images         %6.1f ms   (one after the other)
              cosign verify, keyless, 1 image p50 %6.1f ms   (--trusted-root, offline)
              cosign verify, bundle, 1 image  p50 %6.1f ms   (--new-bundle-format --trusted-root)
            """,
            COMPONENTS,
            client.getKubernetesVersion().getGitVersion(),
            "v2.6.5",
            SAMPLES,
            ms(percentile(cold, 50)),
            ms(percentile(cold, 99)),
            ms(percentile(warm, 50)),
            ms(percentile(warm, 99)),
            ms(percentile(keylessCold, 50)),
            ms(percentile(keylessCold, 99)),
            ms(percentile(keylessWarm, 50)),
            ms(percentile(keylessWarm, 99)),
            ms(percentile(bundleCold, 50)),
            ms(percentile(bundleCold, 99)),
            ms(percentile(bundleWarm, 50)),
            ms(percentile(bundleWarm, 99)),
            ms(percentile(untouched, 50)),
            ms(percentile(untouched, 99)),
            ms(percentile(plain, 50)),
            ms(percentile(plain, 99)),
            threads,
            admitted.get() / seconds,
            ms(percentile(cosignOne, 50)),
            COMPONENTS,
            ms(cosignFive),
            ms(percentile(cosignKeyless, 50)),
            ms(percentile(cosignBundle, 50)));
      }
    }
  }

  interface Action {
    void run() throws Exception;
  }

  static long timed(Action action) throws Exception {
    long t = System.nanoTime();
    action.run();
    return System.nanoTime() - t;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static long percentile(List<Long> samples, int p) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  static void create(List<String> images, String name) {
    StringBuilder components = new StringBuilder();
    for (int i = 0; i < images.size(); i++) {
      components
          .append("    - {name: svc")
          .append(i)
          .append(", image: ")
          .append(images.get(i))
          .append(", tag: 1.0.0}\n");
    }
    if (images.isEmpty()) {
      components
          .append("    - {name: web, image: other.example.com/web, digest: sha256:")
          .append("0".repeat(64))
          .append("}\n");
    }
    client
        .resources(Release.class)
        .inNamespace(NS)
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: stellaops.io/v1alpha1
                    kind: Release
                    metadata: {name: %s, namespace: %s}
                    spec:
                      version: 1.0.0
                      components:
                    %s\
                    """
                        .formatted(name, NS, components),
                    Release.class))
        .create();
  }
}
