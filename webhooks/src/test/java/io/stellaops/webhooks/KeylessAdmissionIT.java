package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.cosign.LocalSigstore;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.webhooks.imagepolicy.AdmissionEvents;
import io.stellaops.webhooks.imagepolicy.PodAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless TrustPolicies at admission, by the real API server calling our webhook: images signed
 * keyless by the real cosign CLI against a private Sigstore, checked offline against the
 * trusted_root.json in a Secret; in cosign's tag layout, and as Sigstore bundles on a registry with
 * the OCI referrers API.
 */
@EnableKubeAPIServer
class KeylessAdmissionIT {
  static final String NS = "ci";
  static final String LOCKED = "ci-locked";
  static final String ISSUER = "https://token.actions.example.com";
  static KubernetesClient client;
  static LocalRegistry registry;
  static LocalRegistry bundles;
  static LocalSigstore sigstore;
  static LocalSigstore unknown;
  static AdmissionServer server;
  @TempDir static Path dir;
  static CosignCli cosign;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS, "stella-system");
    LoopbackAdmission.enforcingNamespace(client, LOCKED);
    registry = LocalRegistry.start();
    bundles = LocalRegistry.startWithReferrersApi();
    sigstore = LocalSigstore.start("stella-ci");
    unknown = LocalSigstore.start("unknown");
    cosign = new CosignCli(dir);
    cosign.generateKeyPair("release");
    PromotionTestSupport.trustRootSecret(
        client, "stella-system", "sigstore-root", sigstore.trustedRoot());
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: TrustPolicy
            metadata: {name: ci}
            spec:
              images: ["%s/ci/**"]
              authorities:
                - name: release-workflow
                  keyless:
                    issuer: %s
                    subject: release@example.com
                    trustRoot: {namespace: stella-system, name: sigstore-root}
            """
                .formatted(registry.host(), ISSUER))
        .serverSideApply();
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: TrustPolicy
            metadata: {name: ci-bundles}
            spec:
              images: ["%s/ci/**"]
              authorities:
                - name: release-workflow
                  keyless:
                    issuer: %s
                    subject: release@example.com
                    trustRoot: {namespace: stella-system, name: sigstore-root}
                - name: release-key
                  key:
                    publicKey: |
            %s
            """
                .formatted(bundles.host(), ISSUER, cosign.publicKeyPem("release").indent(10)))
        .serverSideApply();

    var evaluator = LoopbackAdmission.evaluator();
    server =
        LoopbackAdmission.start(
            client,
            Map.of(
                ReleaseAdmission.PATH,
                LoopbackAdmission.releaseAdmission(client, evaluator),
                PodAdmission.PATH,
                new PodAdmission(
                    client.getKubernetesSerialization(),
                    LoopbackAdmission.imagePolicy(client, evaluator),
                    new AdmissionEvents(client, Clock.systemUTC()))));
    // The API server may take a moment to start calling a newly registered webhook.
    String probe = push("ci/probe");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> denial("probe", "ci/probe") != null);
    assertThat(probe).startsWith("sha256:");
  }

  @AfterAll
  static void tearDown() {
    server.close();
    registry.close();
    bundles.close();
    sigstore.close();
    unknown.close();
  }

  static String push(String repository) throws Exception {
    return TestImages.push(
        registry.host() + "/" + repository + ":1.0.0", repository + " " + System.nanoTime());
  }

  static Release create(String name, String repository) {
    return LoopbackAdmission.createRelease(
        client, NS, name, registry.host() + "/" + repository, "1.0.0");
  }

  /** The denial message, or null when the release was admitted. */
  static String denial(String name, String repository) {
    try {
      create(name, repository);
      client.resources(Release.class).inNamespace(NS).withName(name).delete();
      return null;
    } catch (KubernetesClientException e) {
      return e.getStatus().getMessage();
    }
  }

  @Test
  void aReleaseSignedKeylessByTheReleaseWorkflowIsAdmittedAndPinned() throws Exception {
    String digest = push("ci/api");
    cosign.signKeyless(
        registry.host() + "/ci/api@" + digest, sigstore, ISSUER, "release@example.com", true);
    Release admitted = create("api", "ci/api");
    assertThat(admitted.getSpec().components().getFirst().digest()).isEqualTo(digest);

    String podImage = registry.host() + "/ci/api:1.0.0";
    Pod pod =
        client.pods().inNamespace(LOCKED).resource(LoopbackAdmission.pod("api", podImage)).create();
    assertThat(pod.getSpec().getContainers().getFirst().getImage())
        .isEqualTo(podImage + "@" + digest);
  }

  @Test
  void sigstoreBundlesAmongTheImagesReferrersAreReadAtAdmission() throws Exception {
    String keyless = TestImages.push(bundles.host() + "/ci/web:1.0.0", "web");
    cosign.signKeyless(
        bundles.host() + "/ci/web@" + keyless,
        sigstore,
        ISSUER,
        "release@example.com",
        true,
        "--new-bundle-format");
    Release web =
        LoopbackAdmission.createRelease(client, NS, "web", bundles.host() + "/ci/web", "1.0.0");
    assertThat(web.getSpec().components().getFirst().digest()).isEqualTo(keyless);
    Pod pod =
        client
            .pods()
            .inNamespace(LOCKED)
            .resource(LoopbackAdmission.pod("web", bundles.host() + "/ci/web:1.0.0"))
            .create();
    assertThat(pod.getSpec().getContainers().getFirst().getImage()).endsWith("@" + keyless);

    String keyed = TestImages.push(bundles.host() + "/ci/worker:1.0.0", "worker");
    cosign.sign(bundles.host() + "/ci/worker@" + keyed, "release", "--new-bundle-format");
    assertThat(
            LoopbackAdmission.createRelease(
                    client, NS, "worker", bundles.host() + "/ci/worker", "1.0.0")
                .getSpec()
                .components()
                .getFirst()
                .digest())
        .isEqualTo(keyed);

    String unsigned = TestImages.push(bundles.host() + "/ci/batch:1.0.0", "batch");
    assertThatThrownBy(() ->
            LoopbackAdmission.createRelease(
                client, NS, "batch", bundles.host() + "/ci/batch", "1.0.0"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(bundles.host() + "/ci/batch@" + unsigned)
        .hasMessageContaining("TrustPolicy ci-bundles/")
        .hasMessageContaining("no cosign signature found")
        .hasMessageContaining(
            "no Sigstore signature bundle among its referrers, listed by the referrers API");
  }

  @Test
  void anotherIdentityIsDeniedNamingImageAuthorityAndCheck() throws Exception {
    String digest = push("ci/tool");
    cosign.signKeyless(
        registry.host() + "/ci/tool@" + digest, sigstore, ISSUER, "dev@example.com", true);
    assertThat(denial("tool", "ci/tool"))
        .contains("spec.components[0]")
        .contains(registry.host() + "/ci/tool@" + digest)
        .contains("TrustPolicy ci/release-workflow")
        .contains(
            "is by another identity: the certificate is for dev@example.com from "
                + ISSUER
                + ", the authority wants release@example.com from "
                + ISSUER);
  }

  @Test
  void aSignatureFromAnUnknownSigstoreIsDenied() throws Exception {
    String digest = push("ci/stranger");
    cosign.signKeyless(
        registry.host() + "/ci/stranger@" + digest, unknown, ISSUER, "release@example.com", true);
    assertThat(denial("stranger", "ci/stranger"))
        .contains(registry.host() + "/ci/stranger@" + digest)
        .contains("has a certificate that does not chain to the trust root's CAs");
  }
}
