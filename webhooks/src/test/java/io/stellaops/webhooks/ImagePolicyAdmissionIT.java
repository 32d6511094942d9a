package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.webhooks.imagepolicy.AdmissionEvents;
import io.stellaops.webhooks.imagepolicy.PodAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrustPolicies enforced at admission by the real API server calling our webhook, on images jib
 * pushed to a real registry and the real cosign CLI signed: Releases are denied or admitted with a
 * warning, Pods in opted-in namespaces are pinned and checked, private registries are read with
 * dockerconfigjson Secrets.
 */
@EnableKubeAPIServer
class ImagePolicyAdmissionIT {
  static final String NS = "shop";
  static final String LOCKED = "locked";
  static final String PRIVATE_USER = "robot";
  static final String PRIVATE_PASSWORD = "s3cret-pw";
  static KubernetesClient client;
  static LocalRegistry registry;
  static LocalRegistry privateRegistry;
  static AdmissionServer server;
  static TrustEvaluator evaluator;
  @TempDir static Path keys;
  static CosignCli cosign;
  static String trustedPem;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS, "stella-system");
    LoopbackAdmission.enforcingNamespace(client, LOCKED);
    registry = LocalRegistry.start();
    privateRegistry = LocalRegistry.startWithBasicAuth(PRIVATE_USER, PRIVATE_PASSWORD);
    cosign = new CosignCli(keys);
    cosign.generateKeyPair("trusted");
    cosign.generateKeyPair("other");
    cosign.login(privateRegistry.host(), PRIVATE_USER, PRIVATE_PASSWORD);
    trustedPem = cosign.publicKeyPem("trusted");

    policy("shop", "enforce", registry.host() + "/shop/**", null);
    policy("audit", "warn", registry.host() + "/audit/**", null);
    policy("vault", "enforce", privateRegistry.host() + "/**", "vault-pull");
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: TrustPolicy
            metadata: {name: sbom}
            spec:
              images: ["%s/sbom/**"]
              authorities:
                - name: ci
                  key:
                    publicKey: |
                      %s
              attestations:
                - name: sbom
                  predicateType: https://cyclonedx.org/bom
                  condition: >-
                    predicate.specVersion == '1.4'
                    && predicate.components.exists(c, c.name == 'busybox')
            """
                .formatted(registry.host(), trustedPem.strip().replace("\n", "\n              ")))
        .serverSideApply();

    evaluator = LoopbackAdmission.evaluator();
    var imagePolicy = LoopbackAdmission.imagePolicy(client, evaluator);
    var events = new AdmissionEvents(client, Clock.systemUTC());
    server =
        LoopbackAdmission.start(
            client,
            Map.of(
                ReleaseAdmission.PATH,
                LoopbackAdmission.releaseAdmission(client, evaluator),
                PodAdmission.PATH,
                new PodAdmission(client.getKubernetesSerialization(), imagePolicy, events)));
    // The API server may take a moment to start calling a newly registered webhook.
    String probe = push("shop/probe", "1.0.0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          try {
            client.resource(release("probe-" + System.nanoTime(), "shop/probe", "1.0.0")).create();
            return false;
          } catch (KubernetesClientException e) {
            return e.getMessage().contains("is not admitted by TrustPolicy");
          }
        });
    assertThat(probe).startsWith("sha256:");
  }

  @AfterAll
  static void tearDown() {
    server.close();
    registry.close();
    privateRegistry.close();
  }

  static void policy(String name, String mode, String glob, String credentials) {
    String indentedPem = trustedPem.strip().replace("\n", "\n            ");
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: TrustPolicy
            metadata: {name: %s}
            spec:
              images: ["%s"]
              mode: %s
              authorities:
                - name: ci
                  key:
                    publicKey: |
                      %s
            %s
            """
                .formatted(
                    name,
                    glob,
                    mode,
                    indentedPem.replace("\n            ", "\n          "),
                    credentials == null
                        ? ""
                        : "  registryCredentials: [{namespace: stella-system, name: "
                            + credentials
                            + "}]"))
        .serverSideApply();
  }

  static String push(String repository, String tag) throws Exception {
    return TestImages.push(
        registry.host() + "/" + repository + ":" + tag,
        repository + " " + tag + " " + System.nanoTime());
  }

  static void sign(String repository, String digest, String key) throws Exception {
    cosign.sign(registry.host() + "/" + repository + "@" + digest, key);
  }

  static String release(String name, String repository, String tag) {
    return LoopbackAdmission.releaseYaml(NS, name, registry.host() + "/" + repository, tag);
  }

  static Release create(String name, String repository, String tag) {
    return LoopbackAdmission.createRelease(
        client, NS, name, registry.host() + "/" + repository, tag);
  }

  static String denial(String name, String repository, String tag) {
    try {
      create(name, repository, tag);
    } catch (KubernetesClientException e) {
      return e.getStatus().getMessage();
    }
    throw new AssertionError("release " + name + " was admitted");
  }

  @Test
  void aReleaseSignedByTheTrustedKeyIsAdmittedAndItsVerdictServesLaterLookups() throws Exception {
    String digest = push("shop/api", "1.0.0");
    sign("shop/api", digest, "trusted");
    long before = evaluator.evaluations();
    Release admitted = create("signed", "shop/api", "1.0.0");
    assertThat(admitted.getSpec().components().getFirst().digest()).isEqualTo(digest);
    assertThat(evaluator.evaluations()).isEqualTo(before + 1);

    create("signed-again", "shop/api", "1.0.0");
    assertThat(evaluator.evaluations()).as("verdict served from the cache").isEqualTo(before + 1);
  }

  @Test
  void anUnsignedReleaseIsDeniedNamingImagePolicyAuthorityAndCheck() throws Exception {
    String digest = push("shop/unsigned", "1.0.0");
    assertThat(denial("unsigned", "shop/unsigned", "1.0.0"))
        .contains("spec.components[0]")
        .contains(registry.host() + "/shop/unsigned@" + digest)
        .contains("TrustPolicy shop/ci")
        .contains("no cosign signature found");
  }

  @Test
  void noSpellingOfAnImageNameEscapesItsPolicy() throws Exception {
    String digest = push("shop/respelled", "1.0.0");
    // the same registry with a leading zero in its port: still covered by the shop policy
    String respelled = registry.host().replace(":", ":0") + "/shop/respelled";
    String message;
    try {
      LoopbackAdmission.createRelease(client, NS, "respelled", respelled, "1.0.0");
      throw new AssertionError("the release was admitted under another spelling of its name");
    } catch (KubernetesClientException e) {
      message = e.getStatus().getMessage();
    }
    assertThat(message)
        .contains(respelled + "@" + digest)
        .contains("TrustPolicy shop/ci")
        .contains("no cosign signature found");

    assertThatThrownBy(() ->
            client
                .pods()
                .inNamespace(LOCKED)
                .resource(
                    LoopbackAdmission.pod(
                        "upper", registry.host() + "/shop/respelled@" + digest.toUpperCase()))
                .create())
        .hasMessageContaining("spec.containers[0].image")
        .hasMessageContaining("is not sha256: and 64 lower-case hex digits");
  }

  @Test
  void aSignatureByAnotherKeyIsDenied() throws Exception {
    String digest = push("shop/wrongkey", "1.0.0");
    sign("shop/wrongkey", digest, "other");
    assertThat(denial("wrongkey", "shop/wrongkey", "1.0.0"))
        .contains("shop/ci")
        .contains("no signature verifies with the key");
  }

  @Test
  void aSignatureMadeForAnotherDigestIsDenied() throws Exception {
    String signed = push("shop/copied", "1.0.0");
    sign("shop/copied", signed, "trusted");
    String other = push("shop/copied", "2.0.0");
    // Put the signature of the first digest where cosign looks for the second one's.
    TestImages.copyManifest(
        registry.host(),
        "shop/copied",
        "sha256-" + Sha256.hexOf(signed) + ".sig",
        "sha256-" + Sha256.hexOf(other) + ".sig");
    assertThat(denial("copied", "shop/copied", "2.0.0"))
        .contains("shop/ci")
        .contains("was made for another digest (" + signed + ")");
  }

  @Test
  void aTagMovedAfterSigningIsDenied() throws Exception {
    String signed = push("shop/moved", "1.0.0");
    sign("shop/moved", signed, "trusted");
    String moved = push("shop/moved", "1.0.0");
    assertThat(denial("moved", "shop/moved", "1.0.0"))
        .contains("shop/moved@" + moved)
        .contains("no cosign signature found");
  }

  @Test
  void requiredAttestationsAreVerifiedWithTheirCelCondition() throws Exception {
    Path busyboxSbom =
        TestData.path("sbom", "guac-data-syft-cyclonedx")
            .resolve("syft-cyclonedx-docker.io-library-busybox.latest.json");
    Path nginxSbom =
        busyboxSbom.resolveSibling("syft-cyclonedx-docker.io-library-nginx.latest.json");

    String attested = push("sbom/app", "1.0.0");
    sign("sbom/app", attested, "trusted");
    cosign.attest(registry.host() + "/sbom/app@" + attested, "trusted", "cyclonedx", busyboxSbom);
    create("attested", "sbom/app", "1.0.0");

    String unattested = push("sbom/bare", "1.0.0");
    sign("sbom/bare", unattested, "trusted");
    assertThat(denial("bare", "sbom/bare", "1.0.0"))
        .contains("sbom: attestation sbom (https://cyclonedx.org/bom)")
        .contains("no attestation found");

    String wrongSbom = push("sbom/nginx", "1.0.0");
    sign("sbom/nginx", wrongSbom, "trusted");
    cosign.attest(registry.host() + "/sbom/nginx@" + wrongSbom, "trusted", "cyclonedx", nginxSbom);
    assertThat(denial("nginx", "sbom/nginx", "1.0.0")).contains("is false");

    String otherKey = push("sbom/other", "1.0.0");
    sign("sbom/other", otherKey, "trusted");
    cosign.attest(registry.host() + "/sbom/other@" + otherKey, "other", "cyclonedx", busyboxSbom);
    assertThat(denial("other", "sbom/other", "1.0.0"))
        .contains("an attestation does not verify with the key");
  }

  @Test
  void warnModeAdmitsWithAWarningAndAnEvent() throws Exception {
    push("audit/tool", "1.0.0");
    Answer response = createRaw(release("audited", "audit/tool", "1.0.0"));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(String.join("\n", response.warnings()))
        .contains("(TrustPolicy, warn mode) audit/ci")
        .contains("no cosign signature found");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> {
                  assertThat(e.getReason()).isEqualTo(AdmissionEvents.REASON);
                  assertThat(e.getInvolvedObject().getName()).isEqualTo("audited");
                  assertThat(e.getMessage()).contains("audit/ci");
                }));
  }

  @Test
  void privateRegistriesAreReadWithDockerconfigjsonSecrets() throws Exception {
    String image = privateRegistry.host() + "/team/api";
    String digest =
        TestImages.push(image + ":1.0.0", "private api", PRIVATE_USER, PRIVATE_PASSWORD);
    cosign.sign(image + "@" + digest, "trusted");
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s, namespace: shop}
        spec:
          version: 1.0.0
          components:
            - {name: api, image: %s, tag: "1.0.0"}
        """;
    assertThatThrownBy(() -> client.resource(yaml.formatted("private-1", image)).create())
        .hasMessageContaining("cannot resolve " + image + ":1.0.0 to a digest")
        .hasMessageContaining("Secret stella-system/vault-pull not found");

    String auth =
        Base64.getEncoder()
            .encodeToString(
                (PRIVATE_USER + ":" + PRIVATE_PASSWORD).getBytes(StandardCharsets.UTF_8));
    client
        .secrets()
        .inNamespace("stella-system")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("vault-pull")
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToStringData(
                    ".dockerconfigjson",
                    "{\"auths\": {\""
                        + privateRegistry.host()
                        + "\": {\"auth\": \""
                        + auth
                        + "\"}}}")
                .build())
        .create();
    Release admitted =
        client
            .getKubernetesSerialization()
            .convertValue(
                client.resource(yaml.formatted("private-2", image)).create(), Release.class);
    assertThat(admitted.getSpec().components().getFirst().digest()).isEqualTo(digest);
  }

  @Test
  void podsInAnEnforcingNamespaceArePinnedAndChecked() throws Exception {
    String signed = push("shop/web", "1.0.0");
    sign("shop/web", signed, "trusted");
    Pod pod =
        client
            .pods()
            .inNamespace(LOCKED)
            .resource(LoopbackAdmission.pod("web", registry.host() + "/shop/web:1.0.0"))
            .create();
    assertThat(pod.getSpec().getContainers().getFirst().getImage())
        .isEqualTo(registry.host() + "/shop/web:1.0.0@" + signed);

    push("shop/rogue", "1.0.0");
    assertThatThrownBy(() ->
            client
                .pods()
                .inNamespace(LOCKED)
                .resource(LoopbackAdmission.pod("rogue", registry.host() + "/shop/rogue:1.0.0"))
                .create())
        .hasMessageContaining("spec.containers[0].image")
        .hasMessageContaining("no cosign signature found");
    push("tools/debug", "1.0.0");
    assertThatThrownBy(() ->
            client
                .pods()
                .inNamespace(LOCKED)
                .resource(LoopbackAdmission.pod("debug", registry.host() + "/tools/debug:1.0.0"))
                .create())
        .hasMessageContaining("no TrustPolicy covers " + registry.host() + "/tools/debug")
        .hasMessageContaining("namespace locked is labelled stellaops.io/image-policy=enforce");

    Pod elsewhere =
        client
            .pods()
            .inNamespace(NS)
            .resource(LoopbackAdmission.pod("rogue", registry.host() + "/shop/rogue:1.0.0"))
            .create();
    assertThat(elsewhere.getSpec().getContainers().getFirst().getImage())
        .as("namespaces without the label are not checked")
        .isEqualTo(registry.host() + "/shop/rogue:1.0.0");
  }

  /** What the API server answered a create, with its Warning headers. */
  record Answer(int status, String body, List<String> warnings) {}

  /** POSTs a Release as kubectl would, to read the API server's Warning headers. */
  static Answer createRaw(String yaml) throws Exception {
    var http = client.getHttpClient();
    Object json = client.getKubernetesSerialization().unmarshal(yaml);
    var request =
        http.newHttpRequestBuilder()
            .uri(
                client.getMasterUrl() + "apis/stellaops.io/v1alpha1/namespaces/" + NS + "/releases")
            .post("application/json", client.getKubernetesSerialization().asJson(json))
            .build();
    var response = http.sendAsync(request, String.class).get();
    return new Answer(response.code(), response.body(), response.headers("Warning"));
  }
}
