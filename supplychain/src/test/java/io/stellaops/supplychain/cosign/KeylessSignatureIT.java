package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.KeylessAuthority;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.keyless.KeylessSigner;
import io.stellaops.supplychain.keyless.TrustRoot;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.supplychain.policy.CheckFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signatures made by the real cosign CLI against a private Sigstore (CA with CT log,
 * transparency log) and checked offline against its trusted_root.json; {@code cosign verify
 * --trusted-root} is asked the same question and must agree.
 */
class KeylessSignatureIT {
  static final String ISSUER = "https://token.actions.example.com";
  static final String CI = "ci@example.com";
  static LocalRegistry registry;
  static LocalSigstore sigstore;
  static LocalSigstore elsewhere;
  @TempDir static Path dir;
  static CosignCli cli;
  static Path trustedRoot;
  static Path otherRoot;
  final CosignSignatureVerifier verifier =
      new CosignSignatureVerifier(new RegistryClient(Duration.ofSeconds(5)));
  final CosignAttestationVerifier attestations =
      new CosignAttestationVerifier(new RegistryClient(Duration.ofSeconds(5)));

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    sigstore = LocalSigstore.start("stella-test");
    elsewhere = LocalSigstore.start("elsewhere");
    cli = new CosignCli(dir);
    cli.generateKeyPair("release");
    trustedRoot = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    otherRoot = elsewhere.writeTrustedRoot(dir.resolve("other_root.json"));
  }

  @AfterAll
  static void stop() {
    registry.close();
    sigstore.close();
    elsewhere.close();
  }

  static Signer signer(Path root, String issuer, String issuerRegExp, String subject, String re)
      throws Exception {
    return KeylessSigner.of(
        TrustRoot.parse(Files.readAllBytes(root)),
        new KeylessAuthority(
            issuer, issuerRegExp, subject, re, new SecretKeyRef("ns", "root", null)));
  }

  static Signer ci() throws Exception {
    return signer(trustedRoot, ISSUER, null, CI, null);
  }

  String signedImage(String name) throws Exception {
    String image = registry.host() + "/" + name;
    String digest = TestImages.push(image + ":1.0.0", name);
    cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, true);
    return digest;
  }

  @Test
  void aKeylessSignatureByTheTrustedIdentityVerifiesAndCosignAgrees() throws Exception {
    String image = registry.host() + "/keyless/app";
    String digest = signedImage("keyless/app");
    var verdict = verifier.verify(image, digest, ci(), Optional.empty());
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
    assertThat(verdict.reason()).endsWith("signed by keyless " + CI + " from " + ISSUER);
    assertThat(cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI))
        .contains("verified using trusted certificate authority certificates");
    assertThat(sigstore.requests())
        .contains("POST /api/v1/signingCert 201", "POST /api/v1/log/entries 201");

    var byPattern =
        signer(trustedRoot, null, "^https://token\\.actions\\.", null, "@example\\.com$");
    assertThat(verifier.verify(image, digest, byPattern, Optional.empty()).verified()).isTrue();
  }

  @Test
  void anotherIdentityIsDeniedNamingBothAndCosignAgrees() throws Exception {
    String image = registry.host() + "/keyless/identity";
    String digest = signedImage("keyless/identity");
    var verdict =
        verifier.verify(
            image,
            digest,
            signer(trustedRoot, ISSUER, null, "release@example.com", null),
            Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains(image + "@" + digest)
        .contains("no signature verifies with keyless release@example.com from " + ISSUER)
        .contains(
            "is by another identity: the certificate is for "
                + CI
                + " from "
                + ISSUER
                + ", the authority wants release@example.com from "
                + ISSUER);
    var otherIssuer = signer(trustedRoot, "https://accounts.example.org", null, CI, null);
    assertThat(verifier.verify(image, digest, otherIssuer, Optional.empty()).reason())
        .contains("is by another identity");
    var notAnchored = signer(trustedRoot, ISSUER, null, null, "^release@");
    assertThat(verifier.verify(image, digest, notAnchored, Optional.empty()).verified()).isFalse();
    assertThatThrownBy(() ->
            cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, "release@example.com"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aCertificateFromAnUntrustedRootIsDeniedAndCosignAgrees() throws Exception {
    String image = registry.host() + "/keyless/untrusted";
    String digest = signedImage("keyless/untrusted");
    var verdict =
        verifier.verify(image, digest, signer(otherRoot, ISSUER, null, CI, null), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("a signature has a certificate that does not chain to the trust root's CAs");
    assertThatThrownBy(() -> cli.verifyKeyless(image + "@" + digest, otherRoot, ISSUER, CI))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aLogTheTrustRootDoesNotListIsDenied() throws Exception {
    String image = registry.host() + "/keyless/otherlog";
    String digest = signedImage("keyless/otherlog");
    // Same CA and CT log, but the transparency log key of another deployment.
    Path mixed = dir.resolve("mixed_root.json");
    var root = io.stellaops.supplychain.json.CanonicalJson.MAPPER.readTree(trustedRoot.toFile());
    var other = io.stellaops.supplychain.json.CanonicalJson.MAPPER.readTree(otherRoot.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root).set("tlogs", other.path("tlogs"));
    Files.writeString(mixed, root.toString());
    var verdict =
        verifier.verify(image, digest, signer(mixed, ISSUER, null, CI, null), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("has a transparency log entry from a log the trust root does not list");
    assertThatThrownBy(() -> cli.verifyKeyless(image + "@" + digest, mixed, ISSUER, CI))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aSignatureLoggedAfterItsCertificateExpiredIsDeniedAndCosignAgrees() throws Exception {
    String image = registry.host() + "/keyless/late";
    String digest = TestImages.push(image + ":1.0.0", "late");
    sigstore.logClockSkew(Duration.ofMinutes(20));
    try {
      cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, true);
    } finally {
      sigstore.logClockSkew(Duration.ZERO);
    }
    var verdict = verifier.verify(image, digest, ci(), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason()).contains("outside the certificate's validity");
    assertThatThrownBy(() -> cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aLogEntryOfAnotherSignatureDoesNotVouchForThisOne() throws Exception {
    String first = signedImage("keyless/entries");
    String second = TestImages.push(registry.host() + "/keyless/entries:2.0.0", "entries v2");
    cli.signKeyless(registry.host() + "/keyless/entries@" + second, sigstore, ISSUER, CI, true);
    String secondTag = "sha256-" + Sha256.hexOf(second) + ".sig";
    var rc = new RegistryClient(Duration.ofSeconds(5));
    String firstBundle =
        CosignTags.manifest(
                rc, registry.host() + "/keyless/entries", first, "sig", Optional.empty())
            .at("/layers/0/annotations")
            .path(Signer.BUNDLE)
            .asText();
    // The second signature, with the first one's (genuine, correctly signed) log entry.
    TestImages.copyManifest(
        registry.host(),
        "keyless/entries",
        secondTag,
        secondTag,
        manifest ->
            ((com.fasterxml.jackson.databind.node.ObjectNode)
                    manifest.withArray("layers").get(0).path("annotations"))
                .put(Signer.BUNDLE, firstBundle));
    var verdict =
        verifier.verify(registry.host() + "/keyless/entries", second, ci(), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("has a transparency log entry for other content, signature or certificate");
    assertThatThrownBy(() ->
            cli.verifyKeyless(
                registry.host() + "/keyless/entries@" + second, trustedRoot, ISSUER, CI))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aKeylessSignatureWithoutALogEntryIsDenied() throws Exception {
    String image = registry.host() + "/keyless/unlogged";
    String digest = TestImages.push(image + ":1.0.0", "unlogged");
    cli.signKeyless(image + "@" + digest, sigstore, ISSUER, CI, false);
    var verdict = verifier.verify(image, digest, ci(), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("has no transparency log entry")
        .contains("signing time cannot be proven");
    assertThatThrownBy(() -> cli.verifyKeyless(image + "@" + digest, trustedRoot, ISSUER, CI))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void keySignaturesAndSignaturesOfOtherDigestsAreNotKeylessOnes() throws Exception {
    String image = registry.host() + "/keyless/mixed";
    String keyed = TestImages.push(image + ":1.0.0", "signed with a key");
    cli.sign(image + "@" + keyed, "release");
    assertThat(verifier.verify(image, keyed, ci(), Optional.empty()).reason())
        .contains("a signature carries no Fulcio certificate (signed with a key, not keyless)");

    String signed = signedImage("keyless/copied");
    String other = TestImages.push(registry.host() + "/keyless/copied:2.0.0", "copied v2");
    TestImages.copyManifest(
        registry.host(),
        "keyless/copied",
        "sha256-" + Sha256.hexOf(signed) + ".sig",
        "sha256-" + Sha256.hexOf(other) + ".sig");
    var copied =
        verifier.verify(registry.host() + "/keyless/copied", other, ci(), Optional.empty());
    assertThat(copied.verified()).isFalse();
    assertThat(copied.reason()).contains("was made for another digest (" + signed + ")");
    assertThat(copied.failure()).isEqualTo(CheckFailure.DIGEST_MISMATCH);
  }

  @Test
  void aKeylessSbomAttestationVerifiesWithItsConditionAndIsBoundToItsLogEntry() throws Exception {
    String image = registry.host() + "/keyless/attested";
    String digest = signedImage("keyless/attested");
    Path sbom = dir.resolve("sbom.json");
    Files.writeString(
        sbom,
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"name\":\"busybox\"}]}",
        StandardCharsets.UTF_8);
    cli.attestKeyless(image + "@" + digest, sigstore, ISSUER, CI, "cyclonedx", sbom);
    var verdict =
        attestations.verify(
            image,
            digest,
            ci(),
            "https://cyclonedx.org/bom",
            "predicate.components.exists(c, c.name == 'busybox')",
            Optional.empty());
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
    assertThat(verdict.reason()).contains("attested by keyless " + CI);

    var stranger =
        attestations.verify(
            image,
            digest,
            signer(trustedRoot, ISSUER, null, "release@example.com", null),
            "https://cyclonedx.org/bom",
            null,
            Optional.empty());
    assertThat(stranger.verified()).isFalse();
    assertThat(stranger.reason()).contains("an attestation is by another identity");
  }
}
