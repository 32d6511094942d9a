package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.supplychain.policy.CheckFailure;
import io.stellaops.supplychain.sbom.Sboms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigstore bundles written by the real cosign CLI ({@code --new-bundle-format}) on two real
 * registries: go-containerregistry's, which has the OCI referrers API, and distribution 2.8, where
 * cosign keeps the referrers tag schema instead. Key and keyless signatures and attestations are
 * verified offline; {@code cosign verify} is asked the same question and must agree.
 */
class SigstoreBundleIT {
  static final String BUNDLES = "--new-bundle-format";
  static final String ISSUER = KeylessSignatureIT.ISSUER;
  static final String CI = KeylessSignatureIT.CI;
  static final String CYCLONEDX = "https://cyclonedx.org/bom";
  static LocalRegistry referrersApi;
  static LocalRegistry distribution;
  static LocalSigstore sigstore;
  static LocalSigstore elsewhere;
  @TempDir static Path dir;
  static CosignCli cli;
  static PublicKey release;
  static PublicKey other;
  static Path trustedRoot;
  static Path otherRoot;
  static Path sbom;
  final RegistryClient client = new RegistryClient(Duration.ofSeconds(5));
  final CosignSignatureVerifier verifier = new CosignSignatureVerifier(client);
  final CosignAttestationVerifier attestations = new CosignAttestationVerifier(client);

  @BeforeAll
  static void start() throws Exception {
    referrersApi = LocalRegistry.startWithReferrersApi();
    distribution = LocalRegistry.start();
    sigstore = LocalSigstore.start("stella-test");
    elsewhere = LocalSigstore.start("elsewhere");
    cli = new CosignCli(dir);
    release = cli.generateKeyPair("release");
    other = cli.generateKeyPair("other");
    trustedRoot = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    otherRoot = elsewhere.writeTrustedRoot(dir.resolve("other_root.json"));
    sbom =
        Files.writeString(
            dir.resolve("sbom.json"),
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
                + "\"components\":[{\"name\":\"busybox\"}]}",
            StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    referrersApi.close();
    distribution.close();
    sigstore.close();
    elsewhere.close();
  }

  static Signer ci(Path root) throws Exception {
    return KeylessSignatureIT.signer(root, ISSUER, null, CI, null);
  }

  /** Whether cosign left its referrers tag (the layout for registries without the API). */
  boolean hasReferrersTag(LocalRegistry registry, String repo, String digest) {
    try {
      client.manifest(
          registry.host() + "/" + repo, "sha256-" + Sha256.hexOf(digest), Optional.empty());
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  @Test
  void keyBundlesVerifyThroughTheReferrersApiAndTheFallbackTagAndCosignAgrees() throws Exception {
    for (LocalRegistry registry : new LocalRegistry[] {referrersApi, distribution}) {
      String image = registry.host() + "/bundles/key";
      String digest = TestImages.push(image + ":1.0.0", "key bundle " + registry.host());
      cli.sign(image + "@" + digest, "release", BUNDLES);
      assertThat(hasReferrersTag(registry, "bundles/key", digest))
          .isEqualTo(registry == distribution);

      var verdict = verifier.verify(image, digest, Signer.key(release), Optional.empty());
      assertThat(verdict.verified()).as(verdict.reason()).isTrue();
      assertThat(verdict.reason()).endsWith("signed by the key (Sigstore bundle)");
      cli.verify(
          image + "@" + digest, "release", BUNDLES, "--trusted-root", trustedRoot.toString());

      var wrongKey = verifier.verify(image, digest, Signer.key(other), Optional.empty());
      assertThat(wrongKey.verified()).isFalse();
      assertThat(wrongKey.reason())
          .contains(image + "@" + digest + ": no signature verifies with the key")
          .contains("a bundle does not verify with the key");
      assertThatThrownBy(() ->
              cli.verify(
                  image + "@" + digest, "other", BUNDLES, "--trusted-root", trustedRoot.toString()))
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void anUnsignedImageNamesBothLayoutsItLookedIn() throws Exception {
    String image = referrersApi.host() + "/bundles/unsigned";
    String digest = TestImages.push(image + ":1.0.0", "unsigned");
    var verdict = verifier.verify(image, digest, Signer.key(release), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains(image + "@" + digest + ": no cosign signature found (looked for ")
        .contains(".sig: registry answered 404")
        .contains("no Sigstore signature bundle among its referrers, listed by the referrers API");
    assertThat(verdict.failure()).isEqualTo(CheckFailure.UNSIGNED);

    String old = distribution.host() + "/bundles/unsigned";
    String oldDigest = TestImages.push(old + ":1.0.0", "unsigned");
    assertThat(verifier.verify(old, oldDigest, Signer.key(release), Optional.empty()).reason())
        .contains(
            "the registry has no referrers API and no sha256-" + Sha256.hexOf(oldDigest) + " tag");
  }

  @Test
  void keylessBundlesVerifyOnBothRegistriesAndCosignAgrees() throws Exception {
    for (LocalRegistry registry : new LocalRegistry[] {referrersApi, distribution}) {
      String image = registry.host() + "/bundles/keyless";
      String digest = TestImages.push(image + ":1.0.0", "keyless bundle " + registry.host());
      cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, true, BUNDLES);

      var verdict = verifier.verify(image, digest, ci(trustedRoot), Optional.empty());
      assertThat(verdict.verified()).as(verdict.reason()).isTrue();
      assertThat(verdict.reason())
          .endsWith("signed by keyless " + CI + " from " + ISSUER + " (Sigstore bundle)");
      assertThat(cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI, BUNDLES))
          .contains("Verification for " + image + "@" + digest);

      var stranger =
          verifier.verify(
              image,
              digest,
              KeylessSignatureIT.signer(trustedRoot, ISSUER, null, "release@example.com", null),
              Optional.empty());
      assertThat(stranger.reason())
          .contains("a bundle is by another identity: the certificate is for " + CI);
      assertThatThrownBy(() ->
              cli.verifyKeyless(
                  image + "@" + digest, trustedRoot, ISSUER, "release@example.com", BUNDLES))
          .isInstanceOf(AssertionError.class);

      var untrusted = verifier.verify(image, digest, ci(otherRoot), Optional.empty());
      assertThat(untrusted.reason())
          .contains("a bundle has a certificate that does not chain to the trust root's CAs");
      assertThatThrownBy(
              () -> cli.verifyKeyless(image + "@" + digest, otherRoot, ISSUER, CI, BUNDLES))
          .isInstanceOf(AssertionError.class);

      assertThat(verifier.verify(image, digest, Signer.key(release), Optional.empty()).reason())
          .contains("a bundle does not verify with the key");
    }
  }

  @Test
  void keylessBundlesWithoutALogEntryOrFromAKeyAreNotKeylessSignatures() throws Exception {
    String image = referrersApi.host() + "/bundles/unlogged";
    String digest = TestImages.push(image + ":1.0.0", "unlogged bundle");
    cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, false, BUNDLES);
    assertThat(verifier.verify(image, digest, ci(trustedRoot), Optional.empty()).reason())
        .contains("a bundle has no transparency log entry");
    assertThatThrownBy(
            () -> cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI, BUNDLES))
        .isInstanceOf(AssertionError.class);

    String keyed = TestImages.push(image + ":2.0.0", "key bundle, keyless policy");
    cli.sign(image + "@" + keyed, "release", BUNDLES);
    assertThat(verifier.verify(image, keyed, ci(trustedRoot), Optional.empty()).reason())
        .contains("a bundle carries no Fulcio certificate (signed with a key, not keyless)");
  }

  @Test
  void aBundleMadeForAnotherDigestIsDeniedWhereverItIsAttached() throws Exception {
    String repo = "bundles/copied";
    String image = referrersApi.host() + "/" + repo;
    String signed = TestImages.push(image + ":1.0.0", "signed");
    String target = TestImages.push(image + ":2.0.0", "target");
    cli.sign(image + "@" + signed, "release", BUNDLES);
    cli.signKeyless(image + "@" + signed, sigstore, ISSUER, CI, true, BUNDLES);
    var referrers = client.referrers(image, signed, Optional.empty()).descriptors();
    assertThat(referrers).hasSize(2);
    // Each genuine bundle, re-attached to the other image: same layer, subject rewritten.
    for (var referrer : referrers) {
      TestImages.copyManifest(
          referrersApi.host(),
          repo,
          referrer.path("digest").asText(),
          "copy-" + Sha256.hexOf(referrer.path("digest").asText()).substring(0, 12),
          manifest ->
              ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("subject"))
                  .put("digest", target)
                  .put("size", manifestSize(image, target)));
    }
    assertThat(client.referrers(image, target, Optional.empty()).descriptors()).hasSize(2);

    var keyed = verifier.verify(image, target, Signer.key(release), Optional.empty());
    assertThat(keyed.verified()).isFalse();
    assertThat(keyed.reason())
        .contains(
            "a bundle signed by the key states https://sigstore.dev/cosign/sign/v1 of another"
                + " subject");
    var keyless = verifier.verify(image, target, ci(trustedRoot), Optional.empty());
    assertThat(keyless.verified()).isFalse();
    assertThat(keyless.reason())
        .contains(
            "a bundle signed by keyless "
                + CI
                + " from "
                + ISSUER
                + " states https://sigstore.dev/cosign/sign/v1 of another subject");
    assertThat(keyless.failure()).isEqualTo(CheckFailure.DIGEST_MISMATCH);
    assertThatThrownBy(() ->
            cli.verify(
                image + "@" + target, "release", BUNDLES, "--trusted-root", trustedRoot.toString()))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aBundleWhoseInclusionProofDoesNotHoldIsDenied() throws Exception {
    String repo = "bundles/proof";
    String image = referrersApi.host() + "/" + repo;
    String digest = TestImages.push(image + ":1.0.0", "proof");
    cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, true, BUNDLES);
    String genuine =
        client
            .referrers(image, digest, Optional.empty())
            .descriptors()
            .get(0)
            .path("digest")
            .asText();
    JsonNode manifest =
        CanonicalJson.MAPPER.readTree(client.manifest(image, genuine, Optional.empty()).bytes());
    ObjectNode bundle =
        (ObjectNode)
            CanonicalJson.MAPPER.readTree(
                client.blob(image, manifest.at("/layers/0/digest").asText(), Optional.empty()));
    ObjectNode proof = (ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0/inclusionProof");
    proof.put("rootHash", Base64.getEncoder().encodeToString(new byte[32]));
    byte[] tampered = CanonicalJson.MAPPER.writeValueAsBytes(bundle);
    String layer = TestImages.uploadBlob(referrersApi.host(), repo, tampered);
    TestImages.copyManifest(
        referrersApi.host(),
        repo,
        genuine,
        "tampered",
        m ->
            ((ObjectNode) m.path("layers").get(0))
                .put("digest", layer)
                .put("size", tampered.length));
    deleteManifest(referrersApi, repo, genuine);

    var verdict = verifier.verify(image, digest, ci(trustedRoot), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("a bundle has a transparency log entry that does not verify: ")
        .contains("Inclusion proof verification failed");
    assertThatThrownBy(
            () -> cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI, BUNDLES))
        .isInstanceOf(AssertionError.class);
  }

  static void deleteManifest(LocalRegistry registry, String repo, String digest) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + registry.host() + "/v2/" + repo + "/manifests/" + digest))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(202);
  }

  int manifestSize(String image, String digest) {
    return client.manifest(image, digest, Optional.empty()).bytes().length;
  }

  @Test
  void sbomAttestationBundlesVerifyWithTheirConditionByKeyAndKeyless() throws Exception {
    String image = referrersApi.host() + "/bundles/attested";
    String digest = TestImages.push(image + ":1.0.0", "attested");
    cli.sign(image + "@" + digest, "release", BUNDLES);
    cli.attest(image + "@" + digest, "release", "cyclonedx", sbom, BUNDLES);
    cli.attestKeyless(image + "@" + digest, sigstore, ISSUER, CI, "cyclonedx", sbom, BUNDLES);
    String busybox = "predicate.components.exists(c, c.name == 'busybox')";

    var byKey =
        attestations.verify(
            image, digest, Signer.key(release), CYCLONEDX, busybox, Optional.empty());
    assertThat(byKey.verified()).as(byKey.reason()).isTrue();
    assertThat(byKey.reason()).endsWith(CYCLONEDX + " attested by the key (Sigstore bundle)");
    assertThat(byKey.envelopeDigest()).startsWith("sha256:");
    var keyless =
        attestations.verify(image, digest, ci(trustedRoot), CYCLONEDX, busybox, Optional.empty());
    assertThat(keyless.verified()).as(keyless.reason()).isTrue();
    assertThat(keyless.envelopeDigest()).isNotEqualTo(byKey.envelopeDigest());

    var unmet =
        attestations.verify(
            image,
            digest,
            Signer.key(release),
            CYCLONEDX,
            "predicate.components.exists(c, c.name == 'openssl')",
            Optional.empty());
    assertThat(unmet.verified()).isFalse();
    assertThat(unmet.reason())
        .contains("no " + CYCLONEDX + " attestation verifies")
        .contains("is false");
    var missing =
        attestations.verify(
            image,
            digest,
            Signer.key(release),
            "https://slsa.dev/provenance/v1",
            null,
            Optional.empty());
    assertThat(missing.reason())
        .contains("no attestation found")
        .contains("no Sigstore bundle of https://slsa.dev/provenance/v1 among its referrers");
    assertThat(
            CanonicalJson.MAPPER
                .readTree(client.blob(image, byKey.envelopeDigest(), Optional.empty()))
                .path("mediaType")
                .asText())
        .startsWith("application/vnd.dev.sigstore.bundle");
    assertThat(
            new Sboms(client)
                .attested(image, byKey.envelopeDigest(), Optional.empty())
                .components())
        .extracting(c -> c.name())
        .containsExactly("busybox");
  }
}
