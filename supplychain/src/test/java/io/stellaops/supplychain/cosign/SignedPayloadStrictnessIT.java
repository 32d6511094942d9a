package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed payloads crafted as an attacker holding a genuine signature would craft them, signed by
 * the trusted key with the real cosign CLI ({@code cosign sign-blob}) and stored in a real registry
 * in cosign's layout. {@code cosign verify} / {@code verify-attestation} is asked the same question
 * each time: where it agrees, we must too; where a payload is ambiguous we refuse it, and the test
 * shows what cosign believes instead.
 */
class SignedPayloadStrictnessIT {
  static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String CYCLONEDX = "https://cyclonedx.org/bom";
  static LocalRegistry registry;
  @TempDir static Path keys;
  static CosignCli cli;
  static PublicKey trusted;
  final CosignSignatureVerifier signatures =
      new CosignSignatureVerifier(new RegistryClient(Duration.ofSeconds(5)));
  final CosignAttestationVerifier attestations =
      new CosignAttestationVerifier(new RegistryClient(Duration.ofSeconds(5)));

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    cli = new CosignCli(keys);
    trusted = cli.generateKeyPair("trusted");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** An image and its digest, pushed by jib. */
  record Image(String repo, String digest) {
    String name() {
      return registry.host() + "/" + repo;
    }

    String ref() {
      return name() + "@" + digest;
    }
  }

  static Image push(String repo) throws Exception {
    return new Image(repo, TestImages.push(registry.host() + "/" + repo + ":1.0.0", repo));
  }

  static String simpleSigning(String key, String digest) {
    return "\""
        + key
        + "\": {\"identity\": {\"docker-reference\": \"x\"}, \"image\":"
        + " {\"docker-manifest-digest\": \""
        + digest
        + "\"}, \"type\": \"cosign container image signature\"}";
  }

  /** Signs {@code payload} with the trusted key through cosign; the base64 signature. */
  static String cosignSignature(byte[] payload) throws Exception {
    Path file = Files.createTempFile(keys, "payload", ".json");
    Files.write(file, payload);
    return cli.signBlob(file, "trusted");
  }

  /**
   * Stores {@code layers} (payload, signature annotation, media type) as {@code image}'s {@code
   * suffix} (sig or att) manifest, as cosign lays it out.
   */
  static void storeLayers(Image image, String suffix, List<Map<String, Object>> layers)
      throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = TestImages.uploadBlob(registry.host(), image.repo(), config);
    var manifest =
        Map.of(
            "schemaVersion",
            2,
            "mediaType",
            "application/vnd.oci.image.manifest.v1+json",
            "config",
            Map.of(
                "mediaType",
                "application/vnd.oci.image.config.v1+json",
                "digest",
                configDigest,
                "size",
                config.length),
            "layers",
            layers);
    TestImages.pushManifest(
        registry.host(),
        image.repo(),
        "sha256-" + Sha256.hexOf(image.digest()) + "." + suffix,
        CanonicalJson.MAPPER.writeValueAsBytes(manifest));
  }

  static Map<String, Object> layer(Image image, byte[] payload, String mediaType, String signature)
      throws Exception {
    String digest = TestImages.uploadBlob(registry.host(), image.repo(), payload);
    return Map.of(
        "mediaType",
        mediaType,
        "digest",
        digest,
        "size",
        payload.length,
        "annotations",
        Map.of(CosignSignatureVerifier.SIGNATURE_ANNOTATION, signature));
  }

  static void storeSignature(Image image, byte[] payload, String mediaType, String signature)
      throws Exception {
    storeLayers(image, "sig", List.of(layer(image, payload, mediaType, signature)));
  }

  CosignSignatureVerifier.Verdict verifySignature(Image image) {
    return signatures.verify(image.name(), image.digest(), Signer.key(trusted), Optional.empty());
  }

  @Test
  void aPayloadNamingTwoDigestsUnderCaseFoldingIsRefused() throws Exception {
    Image first = push("fold-first");
    Image second = push("fold-second");
    byte[] payload =
        ("{"
                + simpleSigning("critical", first.digest())
                + ", "
                + simpleSigning("Critical", second.digest())
                + ", \"optional\": null}")
            .getBytes(StandardCharsets.UTF_8);
    String signature = cosignSignature(payload);
    storeSignature(second, payload, SIMPLE_SIGNING, signature);
    storeSignature(first, payload, SIMPLE_SIGNING, signature);
    // cosign's Go reads the last of the two keys: the payload vouches for the second digest
    cli.verify(second.ref(), "trusted");
    assertThatThrownBy(() -> cli.verify(first.ref(), "trusted")).isInstanceOf(AssertionError.class);
    for (Image image : List.of(first, second)) {
      var verdict = verifySignature(image);
      assertThat(verdict.verified()).isFalse();
      assertThat(verdict.reason())
          .contains(
              "a valid signature by the key has a payload that repeats the key \"critical\" as"
                  + " \"Critical\" in one object");
    }
  }

  @Test
  void aPayloadWithASecondDocumentIsRefusedAsCosignRefusesIt() throws Exception {
    Image image = push("trailing");
    byte[] payload =
        ("{" + simpleSigning("critical", image.digest()) + "}\n{\"critical\": {}}")
            .getBytes(StandardCharsets.UTF_8);
    storeSignature(image, payload, SIMPLE_SIGNING, cosignSignature(payload));
    assertThatThrownBy(() -> cli.verify(image.ref(), "trusted")).isInstanceOf(AssertionError.class);
    var verdict = verifySignature(image);
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason()).contains("has content after its JSON document");
  }

  @Test
  void readsFieldsAndBase64AsCosignDoes() throws Exception {
    Image image = push("go-reading");
    // another key case, a signature broken over lines and a layer of another media type
    byte[] payload =
        ("{" + simpleSigning("CRITICAL", image.digest()) + "}").getBytes(StandardCharsets.UTF_8);
    String signature = cosignSignature(payload);
    String broken = signature.replaceAll("(.{16})", "$1\n");
    storeSignature(image, payload, "application/octet-stream", broken);
    cli.verify(image.ref(), "trusted");
    var verdict = verifySignature(image);
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
  }

  @Test
  void aSignatureManifestWithMoreLayersThanCosignReadsIsRefused() throws Exception {
    Image image = push("many-layers");
    byte[] payload =
        ("{" + simpleSigning("critical", image.digest()) + "}").getBytes(StandardCharsets.UTF_8);
    var genuine = layer(image, payload, SIMPLE_SIGNING, cosignSignature(payload));
    List<Map<String, Object>> layers = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      layers.add(genuine);
    }
    storeLayers(image, "sig", layers);
    assertThatThrownBy(() -> cli.verify(image.ref(), "trusted"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1000");
    var verdict = verifySignature(image);
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("the signature manifest lists 1001 layers, more than the 1000 cosign reads");
  }

  /** A DSSE envelope of {@code statement}, signed by the trusted key through cosign. */
  static byte[] envelope(String payloadType, String statement) throws Exception {
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    String sig = cosignSignature(Dsse.pae(payloadType, payload));
    return CanonicalJson.MAPPER.writeValueAsBytes(
        Map.of(
            "payloadType",
            payloadType,
            "payload",
            Base64.getEncoder().encodeToString(payload),
            "signatures",
            List.of(Map.of("keyid", "", "sig", sig))));
  }

  static String statement(Image image, String predicateTypes, String subjectKey) {
    return "{\"_type\": \"https://in-toto.io/Statement/v0.1\", "
        + predicateTypes
        + ", \""
        + subjectKey
        + "\": [{\"name\": \"x\", \"digest\": {\"sha256\": \""
        + Sha256.hexOf(image.digest())
        + "\"}}], \"predicate\": {\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\"}}";
  }

  static void storeAttestation(Image image, byte[] envelope) throws Exception {
    String digest = TestImages.uploadBlob(registry.host(), image.repo(), envelope);
    storeLayers(
        image,
        "att",
        List.of(
            Map.of(
                "mediaType",
                "application/vnd.dsse.envelope.v1+json",
                "digest",
                digest,
                "size",
                envelope.length,
                "annotations",
                // cosign writes the signature annotation empty on attestations, and wants it
                Map.of(
                    "predicateType",
                    CYCLONEDX,
                    CosignSignatureVerifier.SIGNATURE_ANNOTATION,
                    ""))));
  }

  CosignAttestationVerifier.Verdict verifyAttestation(Image image, String type) {
    return attestations.verify(
        image.name(), image.digest(), Signer.key(trusted), type, null, Optional.empty());
  }

  @Test
  void anEnvelopeThatIsNotInTotoIsRefusedAsCosignRefusesIt() throws Exception {
    Image image = push("text-plain");
    storeAttestation(
        image,
        envelope(
            "text/plain", statement(image, "\"predicateType\": \"" + CYCLONEDX + "\"", "subject")));
    assertThatThrownBy(() -> cli.verifyAttestation(image.ref(), "trusted", "cyclonedx"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("invalid payloadType text/plain");
    var verdict = verifyAttestation(image, CYCLONEDX);
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("an attestation has payloadType text/plain, not application/vnd.in-toto+json");
  }

  @Test
  void aStatementNamingTwoPredicateTypesIsRefused() throws Exception {
    Image image = push("two-types");
    String other = "https://example.com/harmless/v1";
    storeAttestation(
        image,
        envelope(
            "application/vnd.in-toto+json",
            statement(
                image,
                "\"predicateType\": \"" + CYCLONEDX + "\", \"PredicateType\": \"" + other + "\"",
                "subject")));
    // cosign's Go reads the last spelling: to cosign this statement attests the harmless type
    cli.verifyAttestation(image.ref(), "trusted", other);
    for (String type : List.of(CYCLONEDX, other)) {
      var verdict = verifyAttestation(image, type);
      assertThat(verdict.verified()).isFalse();
      assertThat(verdict.reason())
          .contains("repeats the key \"predicateType\" as \"PredicateType\"");
    }
  }

  @Test
  void aStatementsFieldsAreFoundAsCosignFindsThem() throws Exception {
    Image image = push("subject-case");
    storeAttestation(
        image,
        envelope(
            "application/vnd.in-toto+json",
            statement(image, "\"PREDICATETYPE\": \"" + CYCLONEDX + "\"", "Subject")));
    cli.verifyAttestation(image.ref(), "trusted", "cyclonedx");
    var verdict = verifyAttestation(image, CYCLONEDX);
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
  }

  @Test
  void ecdsaKeysOnP384AndP521VerifyWithTheirCurvesHashAsCosignSigns() throws Exception {
    for (String curve : List.of("secp384r1", "secp521r1")) {
      Path pem = keys.resolve(curve + ".pem");
      Process openssl =
          new ProcessBuilder(
                  "openssl", "ecparam", "-name", curve, "-genkey", "-noout", "-out", pem.toString())
              .redirectErrorStream(true)
              .start();
      assertThat(openssl.waitFor()).isZero();
      cli.importKeyPair(pem, curve);
      PublicKey key = PemKeys.parsePublicKey(cli.publicKeyPem(curve));
      Image image = push("curve-" + curve);
      cli.sign(image.ref(), curve);
      String hash = curve.equals("secp384r1") ? "sha384" : "sha512";
      cli.verify(image.ref(), curve, "--signature-digest-algorithm", hash);
      // cosign's verify defaults to sha256 whatever the key, and so refuses its own signature
      assertThatThrownBy(() -> cli.verify(image.ref(), curve)).isInstanceOf(AssertionError.class);
      var verdict =
          signatures.verify(image.name(), image.digest(), Signer.key(key), Optional.empty());
      assertThat(verdict.verified()).as(curve + ": " + verdict.reason()).isTrue();
    }
  }
}
