package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures made by the real cosign CLI on images jib pushed to a real registry. */
class CosignSignatureVerifierIT {
  static LocalRegistry registry;
  @TempDir static Path keys;
  static CosignCli cli;
  static PublicKey trusted;
  static PublicKey other;
  final CosignSignatureVerifier verifier =
      new CosignSignatureVerifier(new RegistryClient(Duration.ofSeconds(5)));

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    cli = new CosignCli(keys);
    trusted = cli.generateKeyPair("trusted");
    other = cli.generateKeyPair("other");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static void sign(String imageAtDigest, String key) throws Exception {
    cli.sign(imageAtDigest, key);
  }

  @Test
  void acceptsAnImageSignedWithTheTrustedKey() throws Exception {
    String image = registry.host() + "/signed/app";
    String digest = TestImages.push(image + ":1.0.0", "signed app");
    sign(image + "@" + digest, "trusted");
    var verdict = verifier.verify(image, digest, Signer.key(trusted), Optional.empty());
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
  }

  @Test
  void deniesAnUnsignedImage() throws Exception {
    String image = registry.host() + "/unsigned/app";
    String digest = TestImages.push(image + ":1.0.0", "unsigned app");
    var verdict = verifier.verify(image, digest, Signer.key(trusted), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains(image + "@" + digest)
        .contains("no cosign signature found");
  }

  @Test
  void deniesAnImageSignedWithAnotherKey() throws Exception {
    String image = registry.host() + "/wrongkey/app";
    String digest = TestImages.push(image + ":1.0.0", "wrong key app");
    sign(image + "@" + digest, "other");
    var verdict = verifier.verify(image, digest, Signer.key(trusted), Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("no signature verifies with the key")
        .contains("a signature does not verify with the key");
  }

  @Test
  void aTagMovedAfterSigningPointsToAnUnsignedDigest() throws Exception {
    String image = registry.host() + "/moved/app";
    String signedDigest = TestImages.push(image + ":1.0.0", "moved app v1");
    sign(image + "@" + signedDigest, "trusted");
    String movedDigest = TestImages.push(image + ":1.0.0", "moved app v2");
    assertThat(
            verifier.verify(image, signedDigest, Signer.key(trusted), Optional.empty()).verified())
        .isTrue();
    var moved = verifier.verify(image, movedDigest, Signer.key(trusted), Optional.empty());
    assertThat(moved.verified()).isFalse();
    assertThat(moved.reason()).contains("no cosign signature found");
  }
}
