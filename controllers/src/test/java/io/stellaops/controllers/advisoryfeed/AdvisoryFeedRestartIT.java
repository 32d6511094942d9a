package io.stellaops.controllers.advisoryfeed;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted operator never gates findings on part of the advisories. Advisory snapshots live in
 * the operator's memory; after a restart an AdvisoryFeed's status still says Ready from the process
 * before, and for as long as the new process takes to load it, findings matched or gated would miss
 * its advisories. Here the feed holding a critical advisory is a FIFO, so its load blocks until the
 * test lets it finish: with it as the only feed a promotion used to be Denied ("no AdvisoryFeed is
 * loaded"), beside a second, small feed it used to be Allowed. Both must wait, then be Denied by
 * the critical finding; meanwhile the feed says Loading, not Ready, and the release keeps its
 * findings.
 */
@EnableKubeAPIServer
class AdvisoryFeedRestartIT {
  static final String NS = "restarts";
  static final String CRITICAL = "GHSA-4446-656p-f54g";
  static final String RELEASE = "payments-3.1.0";
  static KubernetesClient client;
  static LocalRegistry registry;
  static Path criticalZip;
  static byte[] criticalBytes;
  static Path smallFeed;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start();
    Path keys = Files.createTempDirectory("stella-keys");
    var cosign = new CosignCli(keys);
    cosign.generateKeyPair("ci");
    String image = registry.host() + "/shop/payments";
    String digest = TestImages.push(image + ":3.1.0", "shop payments 3.1.0");
    cosign.sign(image + "@" + digest, "ci");
    Path sbom = keys.resolve("sbom.cdx.json");
    Files.writeString(
        sbom,
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
         "components": [
           {"type": "library", "group": "org.bouncycastle", "name": "bcprov-jdk15on",
            "version": "1.59", "purl": "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59"}]}
        """);
    cosign.attest(image + "@" + digest, "ci", "cyclonedx", sbom);

    // "small": GitHub advisories without the critical one; "critical": only that one, zipped
    Path small = Files.createTempDirectory("osv-small");
    Path ghsa = TestData.path("osv", "ghsa-from-osv-scalibr");
    var zipped = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.list(ghsa);
        var zip = new ZipOutputStream(zipped)) {
      for (Path f : files.sorted().toList()) {
        if (f.getFileName().toString().startsWith(CRITICAL)) {
          zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        } else {
          Files.copy(f, small.resolve(f.getFileName()));
        }
      }
    }
    criticalBytes = zipped.toByteArray();
    criticalZip = Files.createTempDirectory("osv-critical").resolve("critical.zip");
    Files.write(criticalZip, criticalBytes);

    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    String pem = cosign.publicKeyPem("ci").strip().replace("\n", "\n          ");
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: shop-images}
        spec:
          images: ["%s/shop/**"]
          authorities:
            - name: ci
              key:
                publicKey: |
                  %s
          attestations: [{name: sbom, predicateType: "https://cyclonedx.org/bom"}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: critical}
        spec:
          source: {path: %s}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: security}
        spec:
          builtins:
            vulnerabilities: {maxSeverity: high, action: block}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {gatePolicies: [security]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 3.1.0
          components: [{name: payments, image: %s, tag: 3.1.0, digest: %s}]
        """
            .formatted(registry.host(), pem, criticalZip, RELEASE, image, digest));
    smallFeed = small;
  }

  @AfterAll
  static void tearDown() {
    registry.close();
  }

  @Test
  void aRestartedOperatorWaitsForEveryFeedBeforeGatingFindings() throws Exception {
    // one feed
    Operator first = PromotionTestSupport.startOperator(client);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> feedReady("critical") && hasCritical());
    } finally {
      first.stop();
    }
    restartWithTheCriticalFeedHeld("after-restart-one-feed");

    // two feeds, both loaded before the restart
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: small}
        spec:
          source: {path: %s}
        """
            .formatted(smallFeed));
    Operator third = PromotionTestSupport.startOperator(client);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() ->
              feedReady("small")
                  && feedReady("critical")
                  && matchedFeeds().contains("small@")
                  && matchedFeeds().contains("critical@"));
    } finally {
      third.stop();
    }
    restartWithTheCriticalFeedHeld("after-restart-two-feeds");
  }

  /**
   * Starts a fresh operator while the critical feed's snapshot cannot be read yet, promotes, and
   * checks the promotion waits and the feed is not Ready; then lets the load finish and checks the
   * promotion is denied by the critical finding.
   */
  private static void restartWithTheCriticalFeedHeld(String promotion) throws Exception {
    Files.delete(criticalZip);
    var mkfifo = new ProcessBuilder("mkfifo", criticalZip.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    Operator operator = PromotionTestSupport.startOperator(client);
    try {
      PromotionTestSupport.promote(client, NS, promotion, RELEASE, "dev");
      await().atMost(Duration.ofSeconds(30)).until(() -> "Loading".equals(readyReason("critical")));
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            Promotion p = promotion(promotion);
            return p != null
                && p.getStatus() != null
                && p.getStatus().getDecision() == null
                && p.getStatus().getPhase() == Phase.Pending
                && hasCritical()
                && "Loading".equals(readyReason("critical"));
          });
      assertThat(
              Conditions.find(promotion(promotion).getStatus(), ConditionTypes.RECONCILING)
                  .orElseThrow()
                  .message())
          .contains("critical (not loaded yet by this operator)");

      CompletableFuture.runAsync(() -> {
        try (OutputStream out = Files.newOutputStream(criticalZip)) {
          out.write(criticalBytes);
        } catch (Exception e) {
          loaded.completeExceptionally(e);
        }
        loaded.complete(null);
      });
      loaded.get(30, java.util.concurrent.TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> {
            Promotion p = promotion(promotion);
            return p.getStatus().getPhase() == Phase.Denied;
          });
      assertThat(promotion(promotion).getStatus().getDecision().reasons())
          .singleElement()
          .asString()
          .contains(CRITICAL);
      assertThat(feedReady("critical")).isTrue();
    } finally {
      if (!loaded.isDone()) {
        // unblock a load still waiting on the FIFO, so the operator can stop
        CompletableFuture.runAsync(() -> {
          try (OutputStream out = Files.newOutputStream(criticalZip)) {
            out.write(criticalBytes);
          } catch (Exception ignored) {
            // nothing more to do
          }
        });
      }
      operator.stop();
      Files.deleteIfExists(criticalZip);
      Files.write(criticalZip, criticalBytes);
    }
  }

  static Promotion promotion(String name) {
    return client.resources(Promotion.class).inNamespace(NS).withName(name).get();
  }

  static boolean feedReady(String name) {
    return ready(name).map(c -> c.status() == Condition.Status.TRUE).orElse(false);
  }

  static String readyReason(String name) {
    return ready(name).map(Condition::reason).orElse(null);
  }

  static java.util.Optional<Condition> ready(String name) {
    AdvisoryFeed feed = client.resources(AdvisoryFeed.class).withName(name).get();
    return feed == null
        ? java.util.Optional.empty()
        : Conditions.find(feed.getStatus(), ConditionTypes.READY);
  }

  static String matchedFeeds() {
    Release r = client.resources(Release.class).inNamespace(NS).withName(RELEASE).get();
    return r == null || r.getStatus() == null || r.getStatus().getMatchedFeeds() == null
        ? ""
        : r.getStatus().getMatchedFeeds();
  }

  static boolean hasCritical() {
    Release r = client.resources(Release.class).inNamespace(NS).withName(RELEASE).get();
    if (r == null || r.getStatus() == null || r.getStatus().getComponents().isEmpty()) {
      return false;
    }
    FindingsSummary f = r.getStatus().getComponents().get(0).findings();
    return f != null && f.open().stream().anyMatch(o -> o.id().equals(CRITICAL));
  }
}
