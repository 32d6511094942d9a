package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.export.Export;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.archive.Mirror;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.webhooks.AdmissionServer;
import io.stellaops.webhooks.LoopbackAdmission;
import io.stellaops.webhooks.promotion.PromotionAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides of an air gap on real peers: images jib pushed to one registry, signed and attested by
 * the real cosign CLI, admitted as a Release; a mirror Export bundles them with their signatures,
 * the TrustPolicy, its key Secret and the OSV feed artifact. The source registry is then killed,
 * {@code kubectl stella mirror import} verifies the bundle and every image against the layout and
 * pushes to an empty second registry; the objects it prints are applied, the Release is admitted
 * through the webhook against the second registry alone and promoted there.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorCliIT {
  static final String SHOP = "shop";
  static final String AIRGAP = "airgap";
  static KubernetesClient client;
  static LocalRegistry source;
  static LocalRegistry airgapped;
  static Operator operator;
  static AdmissionServer admission;
  static String api;
  static String web;
  static CosignCli cosign;
  static final RegistryClient registry = new RegistryClient(Duration.ofSeconds(5));

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    source = LocalRegistry.start();
    airgapped = LocalRegistry.start();
    Path keys = Files.createTempDirectory("stella-keys");
    cosign = new CosignCli(keys);
    cosign.generateKeyPair("release");
    Path sbom =
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json");
    api = TestImages.push(source.host() + "/shop/api:2.0.0", "shop api 2.0.0");
    web = TestImages.push(source.host() + "/shop/web:2.0.0", "shop web 2.0.0");
    for (String image : new String[] {"/shop/api@" + api, "/shop/web@" + web}) {
      cosign.sign(source.host() + image, "release");
      cosign.attest(source.host() + image, "release", "cyclonedx", sbom);
    }
    TestImages.push(source.host() + "/tools/debug:1.0.0", "an unsigned tool");
    TestImages.pushFiles(
        source.host() + "/feeds/osv:2026-11", TestData.path("osv", "ghsa-from-osv-scalibr"));

    PromotionTestSupport.installCrdsAndNamespaces(client, SHOP, AIRGAP);
    client
        .secrets()
        .inNamespace(SHOP)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("release-key")
                .endMetadata()
                .addToStringData("cosign.pub", cosign.publicKeyPem("release"))
                .build())
        .create();
    trustSourceImages();
    PromotionTestSupport.apply(
        client,
        SHOP,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: osv}
        spec:
          source: {oci: "%1$s/feeds/osv:2026-11"}
          refreshInterval: 2s
        """
            .formatted(source.host()));
    for (String ns : new String[] {SHOP, AIRGAP}) {
      PromotionTestSupport.apply(
          client,
          ns,
          """
          apiVersion: stellaops.io/v1alpha1
          kind: GatePolicy
          metadata: {name: signed}
          spec:
            builtins: {signaturesVerified: {action: block}}
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Environment
          metadata: {name: dev}
          spec: {gatePolicies: [signed]}
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Target
          metadata: {name: dev-docker}
          spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
          """);
    }
    operator = PromotionTestSupport.startOperatorWithLifecycle(client, new MovableClock());
    admission =
        LoopbackAdmission.start(
            client,
            Map.of(
                ReleaseAdmission.PATH,
                LoopbackAdmission.releaseAdmission(client),
                PromotionAdmission.PATH,
                new PromotionAdmission(client)));
    PromotionTestSupport.apply(
        client,
        SHOP,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-2}
        spec:
          version: 2.0.0
          components:
            - {name: api, image: %1$s/shop/api, tag: "2.0.0"}
            - {name: web, image: %1$s/shop/web, tag: "2.0.0"}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: debug-1}
        spec:
          version: 1.0.0
          components: [{name: debug, image: %1$s/tools/debug, tag: "1.0.0"}]
        """
            .formatted(source.host()));
    awaitVerified(SHOP, "shop-2");
  }

  /** The connected side's TrustPolicy: the source registry's shop images, key in a Secret. */
  static void trustSourceImages() {
    PromotionTestSupport.apply(
        client,
        SHOP,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: shop-images}
        spec:
          images: ["%s/shop/**"]
          authorities:
            - name: release
              key: {secretRef: {namespace: shop, name: release-key}}
          attestations: [{name: sbom, predicateType: "https://cyclonedx.org/bom"}]
        """
            .formatted(source.host()));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    admission.close();
    source.close();
    airgapped.close();
  }

  static void awaitVerified(String namespace, String release) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          Release r =
              client.resources(Release.class).inNamespace(namespace).withName(release).get();
          return r.getStatus() != null
              && r.getStatus().getComponents() != null
              && !r.getStatus().getComponents().isEmpty()
              && r.getStatus().getComponents().stream()
                  .allMatch(c -> "Verified".equals(c.signature()));
        });
  }

  /** Exports the Releases in a mirror bundle and fetches it to a file. */
  Path exported(String name, String release) throws Exception {
    return exported(name, release, source);
  }

  /** As above, the bundle pushed to {@code registry}. */
  Path exported(String name, String release, LocalRegistry registry) throws Exception {
    PromotionTestSupport.apply(
        client,
        SHOP,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Export
        metadata: {name: %s}
        spec:
          profile: mirror
          selector: {releases: [%s]}
          repository: %s/audit/mirror
        """
            .formatted(name, release, registry.host()));
    Export done = awaitComplete(name);
    assertThat(done.getStatus().getMessage()).doesNotContain("Failed");
    Path file = dir.resolve(name + ".tar");
    Path kubeconfig = ShopFixture.kubeconfig(kubeConfig());
    CliRun get = ShopFixture.inShop(kubeconfig, "export", "get", name, "--out", file.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    return file;
  }

  @io.fabric8.kubeapitest.junit.KubeConfig static String kubeConfigYaml;

  /** The Export once Complete; its message if it failed instead. */
  static Export awaitComplete(String name) {
    Export ended =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> client.resources(Export.class).inNamespace(SHOP).withName(name).get(),
                e ->
                    e.getStatus() != null
                        && ("Complete".equals(e.getStatus().getPhase())
                            || "Failed".equals(e.getStatus().getPhase())
                                && !e.getStatus().getMessage().contains("has no digest yet")));
    assertThat(ended.getStatus().getPhase())
        .as(ended.getStatus().getMessage())
        .isEqualTo("Complete");
    return ended;
  }

  static String kubeConfig() {
    return kubeConfigYaml;
  }

  Path operatorKey() throws Exception {
    Path key = dir.resolve("operator.pub");
    Files.writeString(
        key,
        PemKeys.publicKeyPem(
            EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM).publicKey()));
    return key;
  }

  @Test
  @Order(1)
  void anImageNoTrustPolicyCoversIsRefusedAndNothingIsPushed() throws Exception {
    Path bundle = exported("debug-mirror", "debug-1");
    String debug =
        client
            .resources(Release.class)
            .inNamespace(SHOP)
            .withName("debug-1")
            .get()
            .getStatus()
            .getComponents()
            .getFirst()
            .digest();

    CliRun run =
        stella(
            "mirror",
            "import",
            bundle.toString(),
            "--to",
            airgapped.host(),
            "--key",
            operatorKey().toString());

    assertThat(run.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(run.err())
        .contains("Import refused: images do not verify against the bundle's TrustPolicies")
        .contains(
            source.host()
                + "/tools/debug@"
                + debug
                + " (debug-1/debug): no TrustPolicy in the bundle covers it")
        .contains("nothing was pushed");
    assertThat(run.out()).isEmpty();
    assertThatThrownBy(
            () -> registry.manifest(airgapped.host() + "/tools/debug", debug, Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("404");

    CliRun noRegistry = stella("mirror", "import", bundle.toString(), "--to", "mirror/shop");
    assertThat(noRegistry.exit()).isEqualTo(1);
    assertThat(noRegistry.err())
        .contains("--to mirror/shop: name a registry host first, e.g. registry.example.com");
  }

  @Test
  @Order(2)
  void referrersListedByTheApiReachARegistryWithoutItThroughTheirTag() throws Exception {
    try (var withApi = LocalRegistry.startWithReferrersApi();
        var without = LocalRegistry.start()) {
      String image = withApi.host() + "/ci/app";
      String digest = TestImages.push(image + ":1.0.0", "ci app 1.0.0");
      cosign.sign(image + "@" + digest, "release", "--new-bundle-format");
      String pem = cosign.publicKeyPem("release").strip().replace("\n", "\n          ");
      PromotionTestSupport.apply(
          client,
          SHOP,
          """
          apiVersion: stellaops.io/v1alpha1
          kind: TrustPolicy
          metadata: {name: bundled-images}
          spec:
            images: ["%s/ci/**"]
            authorities:
              - name: release
                key:
                  publicKey: |
                    %s
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: app-1}
          spec:
            version: 1.0.0
            components: [{name: app, image: %s, tag: "1.0.0"}]
          """
              .formatted(withApi.host(), pem, image));
      awaitVerified(SHOP, "app-1");
      Path bundle = exported("app-mirror", "app-1", withApi);

      CliRun run =
          stella("mirror", "import", bundle.toString(), "--to", without.host() + "/mirror");

      assertThat(run.exit()).as(run.err()).isZero();
      String moved = without.host() + "/mirror/ci/app";
      var listed = registry.referrers(moved, digest, Optional.empty());
      assertThat(listed.fromTag()).as(listed.source()).isTrue();
      assertThat(listed.descriptors()).hasSize(1);
      // not the feed it printed too: that registry goes away with this test
      applyAsPrinted(run.out(), java.util.Set.of("TrustPolicy", "Release"));
      awaitVerified(AIRGAP, "app-1");
    }
  }

  /** The objects {@code mirror import} printed; namespaced ones without a namespace into AIRGAP. */
  static void applyAsPrinted(String yaml) {
    applyAsPrinted(yaml, null);
  }

  /** As above, only objects of {@code kinds} (all when null). */
  static void applyAsPrinted(String yaml, java.util.Set<String> kinds) {
    client
        .load(
            new java.io.ByteArrayInputStream(
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .items()
        .stream()
        .filter(o -> kinds == null || kinds.contains(o.getKind()))
        .forEach(o -> {
          String ns =
              o.getMetadata().getNamespace() == null ? AIRGAP : o.getMetadata().getNamespace();
          client.resource(o).inNamespace(ns).forceConflicts().serverSideApply();
        });
  }

  @Test
  @Order(3)
  void aMirrorCrossesTheGapAndTheReleaseIsAdmittedAndPromotedThere() throws Exception {
    Path bundle = exported("shop-mirror", "shop-2");
    var export =
        client.resources(Export.class).inNamespace(SHOP).withName("shop-mirror").get().getStatus();
    assertThat(export.getObjects())
        .containsEntry("Image", 2)
        .containsEntry("Release", 1)
        .containsEntry("TrustPolicy", 1)
        .containsEntry("AdvisoryFeed", 1)
        .containsEntry("Artifact", 1);
    var files = Bundle.unchecked(Files.readAllBytes(bundle)).checked().files();
    var mirror = Mirror.parse(files.get(Mirror.FILE));
    assertThat(mirror.images())
        .extracting(Mirror.Image::component, Mirror.Image::digest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", api),
            org.assertj.core.groups.Tuple.tuple("web", web));
    assertThat(mirror.images().getFirst().copied())
        .contains(
            source.host() + "/shop/api@" + api,
            source.host() + "/shop/api:sha256-" + Sha256.hexOf(api) + ".sig",
            source.host() + "/shop/api:sha256-" + Sha256.hexOf(api) + ".att");
    assertThat(files).containsKey("trust/secrets/shop/release-key/cosign.pub");
    assertThat(new String(files.get("oci/oci-layout")))
        .contains("\"imageLayoutVersion\":\"1.0.0\"");

    source.kill(); // nothing beyond the air-gapped registry from here on
    CliRun run =
        stella(
            "mirror",
            "import",
            bundle.toString(),
            "--to",
            airgapped.host(),
            "--key",
            operatorKey().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("Bundle verified: export shop/shop-mirror (mirror)")
        .contains("2 image(s) verified against TrustPolicies shop-images")
        .contains("pushed ");
    String yaml = run.out();
    assertThat(yaml)
        .contains("kind: \"Secret\"")
        .contains("- \"" + airgapped.host() + "/shop/**\"")
        .contains("oci: \"" + airgapped.host() + "/feeds/osv:2026-11\"")
        .contains("image: \"" + airgapped.host() + "/shop/api\"")
        .contains("digest: \"" + api + "\"")
        .doesNotContain(source.host());
    assertThat(
            registry.manifest(airgapped.host() + "/shop/api", "2.0.0", Optional.empty()).digest())
        .isEqualTo(api);
    assertThat(
            registry
                .manifest(
                    airgapped.host() + "/shop/web",
                    "sha256-" + Sha256.hexOf(web) + ".att",
                    Optional.empty())
                .bytes())
        .isNotEmpty();

    // the other side: what the import printed, applied as is (the Release into its namespace)
    applyAsPrinted(yaml);
    awaitVerified(AIRGAP, "shop-2");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          AdvisoryFeed feed = client.resources(AdvisoryFeed.class).withName("osv").get();
          return feed.getStatus() != null
              && Long.valueOf(feed.getMetadata().getGeneration())
                  .equals(feed.getStatus().getObservedGeneration())
              && Conditions.find(feed.getStatus(), "Ready")
                  .map(c -> c.status() == Condition.Status.TRUE)
                  .orElse(false);
        });
    PromotionTestSupport.promote(client, AIRGAP, "shop-2-to-dev", "shop-2", "dev");
    PromotionTestSupport.awaitPhase(client, AIRGAP, "shop-2-to-dev", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, AIRGAP, "shop-2-to-dev");
    PromotionTestSupport.awaitPhase(client, AIRGAP, "shop-2-to-dev", Phase.Succeeded);
  }

  @Test
  @Order(4)
  void aDeltaCarriesOnlyWhatItsBaseLacks() throws Exception {
    source.recover(); // the connected side again
    trustSourceImages(); // the import above renamed the cluster's policy to the other side
    String web3 = TestImages.push(source.host() + "/shop/web:3.0.0", "shop web 3.0.0");
    cosign.sign(source.host() + "/shop/web@" + web3, "release");
    cosign.attest(
        source.host() + "/shop/web@" + web3,
        "release",
        "cyclonedx",
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json"));
    PromotionTestSupport.apply(
        client,
        SHOP,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-3}
        spec:
          version: 3.0.0
          components:
            - {name: api, image: %1$s/shop/api, tag: "2.0.0"}
            - {name: web, image: %1$s/shop/web, tag: "3.0.0"}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Export
        metadata: {name: shop-3-delta}
        spec:
          profile: mirror
          selector: {releases: [shop-3]}
          delta: {export: shop-mirror}
          repository: %1$s/audit/mirror
        """
            .formatted(source.host()));
    Export done = awaitComplete("shop-3-delta");
    assertThat(done.getStatus().getObjects()).containsKey("LeftToBase");
    Path delta = dir.resolve("delta.tar");
    CliRun get =
        ShopFixture.inShop(
            ShopFixture.kubeconfig(kubeConfigYaml),
            "export",
            "get",
            "shop-3-delta",
            "--out",
            delta.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    var files = Bundle.unchecked(Files.readAllBytes(delta)).checked().files();
    var mirror = Mirror.parse(files.get(Mirror.FILE));
    var full =
        client.resources(Export.class).inNamespace(SHOP).withName("shop-mirror").get().getStatus();
    assertThat(mirror.base())
        .isEqualTo(new Mirror.Base("shop/shop-mirror", full.getBundle().digest()));
    assertThat(mirror.omitted()).contains(source.host() + "/shop/api@" + api);
    assertThat(files).doesNotContainKey("oci/blobs/sha256/" + Sha256.hexOf(api));
    assertThat(files).containsKey("oci/blobs/sha256/" + Sha256.hexOf(web3));
    assertThat(done.getStatus().getBundle().size()).isLessThan(full.getBundle().size());
    source.kill();

    try (var empty = LocalRegistry.start()) {
      CliRun orphan = stella("mirror", "import", delta.toString(), "--to", empty.host());
      assertThat(orphan.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
      assertThat(orphan.err())
          .contains("Import refused")
          .contains("import its base, export shop/shop-mirror, first");
    }
    CliRun run =
        stella(
            "mirror",
            "import",
            delta.toString(),
            "--to",
            airgapped.host(),
            "--key",
            operatorKey().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("a delta of export shop/shop-mirror");
    applyAsPrinted(run.out());
    awaitVerified(AIRGAP, "shop-3");
    assertThat(
            registry.manifest(airgapped.host() + "/shop/web", "3.0.0", Optional.empty()).digest())
        .isEqualTo(web3);
  }
}
