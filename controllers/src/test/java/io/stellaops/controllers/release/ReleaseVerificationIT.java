package io.stellaops.controllers.release;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.cosign.LocalSigstore;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Release status carries each component's signature verdict, from images jib pushed to a real
 * registry and signed by the real cosign CLI; the signaturesVerified gate reads it.
 */
@EnableKubeAPIServer
class ReleaseVerificationIT {
  static final String NS = "shop";
  static final String ISSUER = "https://token.actions.example.com";
  static final String CI = "ci@example.com";
  static KubernetesClient client;
  static LocalRegistry registry;
  static Operator operator;
  static String signed;
  static String unsigned;
  static String attested;
  static String releasePem;
  static String keyless;
  static String bundled;
  static LocalSigstore sigstore;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start();
    Path keys = Files.createTempDirectory("stella-keys");
    var cosign = new CosignCli(keys);
    cosign.generateKeyPair("release");
    signed = TestImages.push(registry.host() + "/shop/api:2.0.0", "shop api 2.0.0");
    cosign.sign(registry.host() + "/shop/api@" + signed, "release");
    unsigned = TestImages.push(registry.host() + "/shop/worker:2.0.0", "shop worker 2.0.0");
    attested = TestImages.push(registry.host() + "/shop/sbom-app:2.0.0", "shop sbom app 2.0.0");
    cosign.sign(registry.host() + "/shop/sbom-app@" + attested, "release");
    cosign.attest(
        registry.host() + "/shop/sbom-app@" + attested,
        "release",
        "cyclonedx",
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json"));
    releasePem = cosign.publicKeyPem("release").strip();
    sigstore = LocalSigstore.start("release-verification");
    keyless = TestImages.push(registry.host() + "/ci/app:1.0.0", "ci app 1.0.0");
    String keylessImage = registry.host() + "/ci/app@" + keyless;
    cosign.signKeyless(keylessImage, sigstore, ISSUER, CI, true);
    cosign.attestKeyless(
        keylessImage,
        sigstore,
        ISSUER,
        CI,
        "cyclonedx",
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json"));

    // the same, as Sigstore bundles (the registry has no referrers API: cosign's fallback tag)
    bundled = TestImages.push(registry.host() + "/ci/bundled:1.0.0", "ci bundled 1.0.0");
    String bundledImage = registry.host() + "/ci/bundled@" + bundled;
    cosign.signKeyless(bundledImage, sigstore, ISSUER, CI, true, "--new-bundle-format");
    cosign.attestKeyless(
        bundledImage,
        sigstore,
        ISSUER,
        CI,
        "cyclonedx",
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json"),
        "--new-bundle-format");

    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    operator = PromotionTestSupport.startOperator(client);
    String pem = cosign.publicKeyPem("release").replace("\n", "\n          ");
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
            - name: release-key
              key:
                publicKey: |
                  %s
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: baseline}
        spec:
          builtins: {signaturesVerified: {action: block}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {gatePolicies: [baseline]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        """
            .formatted(registry.host(), pem.strip()));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    registry.close();
    sigstore.close();
  }

  static void release(String name, String component, String digest) {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 2.0.0
          components: [{name: %s, image: %s/shop/%s, tag: 2.0.0, digest: %s}]
        """
            .formatted(name, component, registry.host(), component, digest));
  }

  static Release awaitVerified(String name, Condition.Status expected) {
    var resource = client.resources(Release.class).inNamespace(NS).withName(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            resource.get().getStatus() != null
                && resource.get().getStatus().getConditions().stream()
                    .anyMatch(
                        c -> c.type().equals(ConditionTypes.VERIFIED) && c.status() == expected));
    return resource.get();
  }

  static void sbomPolicy(String condition) {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: sbom-app}
        spec:
          images: ["%s/shop/sbom-app"]
          authorities:
            - name: release-key
              key:
                publicKey: |
                  %s
          attestations:
            - {name: sbom, predicateType: "https://cyclonedx.org/bom", condition: "%s"}
        """
            .formatted(registry.host(), releasePem.replace("\n", "\n              "), condition));
  }

  @Test
  void aTrustPolicyChangeReverifiesAndTheSbomAttestationIsRecorded() {
    sbomPolicy("predicate.specVersion == '1.6'");
    release("sbom-app", "sbom-app", attested);
    Release refused = awaitVerified("sbom-app", Condition.Status.FALSE);
    assertThat(refused.getStatus().getComponents().getFirst().signature()).isEqualTo("Failed");
    assertThat(
            Conditions.find(refused.getStatus(), ConditionTypes.VERIFIED).orElseThrow().message())
        .contains("sbom-app: attestation sbom")
        .contains("is false");

    sbomPolicy("predicate.specVersion == '1.4'");
    Release verified = awaitVerified("sbom-app", Condition.Status.TRUE);
    assertThat(verified.getStatus().getComponents())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.verifiedBy()).contains("sbom-app/release-key");
          assertThat(c.sbomDigest()).startsWith("sha256:");
        });
  }

  @Test
  void aKeylessSignatureAndSbomAttestationUnderAnOfflineTrustRootVerify() throws Exception {
    PromotionTestSupport.trustRootSecret(client, NS, "sigstore-root", sigstore.trustedRoot());
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: ci-keyless}
        spec:
          images: ["%s/ci/**"]
          authorities:
            - name: github-ci
              keyless:
                issuer: %s
                subjectRegExp: '^ci@example\\.com$'
                trustRoot: {namespace: %s, name: sigstore-root}
          attestations:
            - {name: sbom, predicateType: "https://cyclonedx.org/bom", condition: "size(predicate.components) > 0"}
        """
            .formatted(registry.host(), ISSUER, NS));
    var policy = client.resources(TrustPolicy.class).withName("ci-keyless");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            policy.get().getStatus() != null
                && Conditions.find(policy.get().getStatus(), ConditionTypes.READY)
                    .map(c -> c.status() == Condition.Status.TRUE)
                    .orElse(false));
    assertThat(policy.get().getStatus().getAuthoritiesLoaded()).isEqualTo(1);

    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: ci-app}
        spec:
          version: 1.0.0
          components:
            - {name: app, image: %s/ci/app, tag: 1.0.0, digest: %s}
            - {name: bundled, image: %s/ci/bundled, tag: 1.0.0, digest: %s}
        """
            .formatted(registry.host(), keyless, registry.host(), bundled));
    Release verified = awaitVerified("ci-app", Condition.Status.TRUE);
    assertThat(verified.getStatus().getComponents())
        .hasSize(2)
        .allSatisfy(c -> {
          assertThat(c.signature()).isEqualTo("Verified");
          assertThat(c.verifiedBy()).isEqualTo("ci-keyless/github-ci");
          assertThat(c.sbomDigest()).startsWith("sha256:");
        });
  }

  @Test
  void aPolicyThatCannotBeLoadedIsStalledNamingEveryProblem() throws Exception {
    var rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String weakKey =
        io.stellaops.supplychain.keys.PemKeys.publicKeyPem(rsa.generateKeyPair().getPublic())
            .replace("\n", "\\n");
    apply(
        client,
        NS,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: empty-root}
        stringData: {root.json: "{}"}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: broken}
        spec:
          images: ["%s/broken/**"]
          authorities:
            - name: vault-key
              key: {secretRef: {namespace: shop, name: no-such-secret}}
            - name: private-sigstore
              keyless:
                issuer: https://issuer.example
                subject: ci@example.com
                trustRoot: {namespace: shop, name: empty-root, key: root.json}
            - name: weak-rsa
              key: {publicKey: "%s"}
          attestations:
            - {name: sbom, predicateType: "https://cyclonedx.org/bom", condition: "predicate.("}
          registryCredentials: [{namespace: shop, name: no-pull-secret}]
        """
            .formatted(registry.host(), weakKey));
    var resource = client.resources(TrustPolicy.class).withName("broken");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            resource.get().getStatus() != null
                && Conditions.find(resource.get().getStatus(), ConditionTypes.STALLED).isPresent());
    assertThat(
            Conditions.find(resource.get().getStatus(), ConditionTypes.STALLED)
                .orElseThrow()
                .message())
        .contains("authority vault-key: Secret shop/no-such-secret not found")
        .contains("attestation sbom: condition does not compile")
        .contains("registryCredentials: Secret shop/no-pull-secret not found")
        .contains(
            "authority private-sigstore: Secret shop/empty-root key root.json: the trusted root"
                + " lists no certificateAuthorities")
        .contains(
            "authority weak-rsa: the inline publicKey is refused: RSA key of 1024 bits: Sigstore"
                + " accepts RSA keys of 2048, 3072 or 4096 bits only");
    assertThat(resource.get().getStatus().getAuthoritiesLoaded()).isZero();

    var shop = client.resources(TrustPolicy.class).withName("shop-images").get();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            client.resources(TrustPolicy.class).withName("shop-images").get().getStatus() != null);
    shop = client.resources(TrustPolicy.class).withName("shop-images").get();
    assertThat(shop.getStatus().getAuthoritiesLoaded()).isEqualTo(1);
    assertThat(shop.getStatus().getPolicyHash()).startsWith("sha256:");
  }

  @Test
  void aSignedReleaseIsVerifiedAndPassesTheSignatureGate() {
    release("signed-api", "api", signed);
    Release verified = awaitVerified("signed-api", Condition.Status.TRUE);
    assertThat(verified.getStatus().getComponents())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.signature()).isEqualTo("Verified");
          assertThat(c.verifiedBy()).isEqualTo("shop-images/release-key");
          assertThat(c.digest()).isEqualTo(signed);
        });

    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: signed-api-to-dev}
        spec: {release: signed-api, environment: dev}
        """);
    var promotion =
        PromotionTestSupport.awaitPhase(client, NS, "signed-api-to-dev", Phase.Deploying);
    assertThat(promotion.getStatus().getGates())
        .anySatisfy(g -> {
          assertThat(g.gate()).isEqualTo("baseline/signatures");
          assertThat(g.result()).isEqualTo(GateResult.Outcome.Pass);
        });
  }

  @Test
  void anUnchangedVerdictIsNotWrittenAgain() throws Exception {
    release("steady-api", "api", signed);
    Release verified = awaitVerified("steady-api", Condition.Status.TRUE);
    String verifiedAt = verified.getStatus().getComponents().getFirst().verifiedAt();
    String version = verified.getMetadata().getResourceVersion();
    Thread.sleep(1_100); // a rewritten verifiedAt would differ (second precision)

    // re-evaluated (the policy's hash changed), verified again by the same authority
    client
        .resources(TrustPolicy.class)
        .withName("shop-images")
        .edit(p -> {
          p.getSpec().images().add(registry.host() + "/steady-elsewhere/**");
          return p;
        });
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            client
                .resources(Release.class)
                .inNamespace(NS)
                .withName("steady-api")
                .get()
                .getMetadata()
                .getResourceVersion()
                .equals(version));
    assertThat(
            client
                .resources(Release.class)
                .inNamespace(NS)
                .withName("steady-api")
                .get()
                .getStatus()
                .getComponents()
                .getFirst()
                .verifiedAt())
        .isEqualTo(verifiedAt);
  }

  @Test
  void aPolicyThatStopsCoveringAnImageReleasesItsVerdict() {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: narrow}
        spec:
          images: ["%s/narrow/**"]
          authorities: [{name: release-key, key: {publicKey: "%s"}}]
        """
            .formatted(registry.host(), releasePem.replace("\n", "\\n")));
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: narrow-app}
        spec:
          version: 1.0.0
          components: [{name: app, image: %s/narrow/app, digest: %s}]
        """
            .formatted(registry.host(), unsigned));
    Release failed = awaitVerified("narrow-app", Condition.Status.FALSE);
    assertThat(failed.getStatus().getComponents().getFirst().signature()).isEqualTo("Failed");

    // the release matches only the policy's old images: it is looked at again all the same
    client
        .resources(TrustPolicy.class)
        .withName("narrow")
        .edit(p -> {
          p.getSpec().images().set(0, registry.host() + "/narrower/**");
          return p;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() ->
            assertThat(
                    client
                        .resources(Release.class)
                        .inNamespace(NS)
                        .withName("narrow-app")
                        .get()
                        .getStatus()
                        .getComponents()
                        .getFirst()
                        .signature())
                .isEqualTo("Unverified"));
  }

  @Test
  void anUnsignedReleaseFailsVerificationSayingWhy() {
    release("unsigned-worker", "worker", unsigned);
    Release failed = awaitVerified("unsigned-worker", Condition.Status.FALSE);
    assertThat(failed.getStatus().getComponents())
        .singleElement()
        .satisfies(c -> assertThat(c.signature()).isEqualTo("Failed"));
    assertThat(failed.getStatus().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.STALLED))
        .singleElement()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("SignatureNotVerified"));
    assertThat(failed.getStatus().getConditions())
        .filteredOn(c -> c.type().equals(ConditionTypes.VERIFIED))
        .singleElement()
        .satisfies(c ->
            assertThat(c.message())
                .contains(
                    "worker: shop-images/release-key: "
                        + registry.host()
                        + "/shop/worker@"
                        + unsigned
                        + ": no cosign signature found"));
  }
}
