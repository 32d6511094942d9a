package io.stellaops.supplychain.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.cosign.CosignAttestationVerifier;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SBOMs attested with the real cosign CLI, in both formats it attests: {@code --type spdxjson}
 * (predicate type https://spdx.dev/Document) and {@code --type cyclonedx}, read back from the
 * verified envelope.
 */
class SbomAttestationIT {
  static LocalRegistry registry;
  @TempDir static Path keys;
  static CosignCli cli;
  static PublicKey key;
  final RegistryClient client = new RegistryClient(Duration.ofSeconds(5));

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    cli = new CosignCli(keys);
    key = cli.generateKeyPair("ci");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  Sbom attestedAndRead(String repo, String type, String predicateType, Path predicate)
      throws Exception {
    String image = registry.host() + "/" + repo;
    String digest = TestImages.push(image + ":1.0.0", repo);
    cli.attest(image + "@" + digest, "ci", type, predicate);
    var verdict =
        new CosignAttestationVerifier(client)
            .verify(image, digest, Signer.key(key), predicateType, null, Optional.empty());
    assertThat(verdict.verified()).as(verdict.reason()).isTrue();
    return new Sboms(client).attested(image, verdict.envelopeDigest(), Optional.empty());
  }

  @Test
  void anSpdxAttestationIsReadFromTheVerifiedEnvelope() throws Exception {
    Sbom sbom =
        attestedAndRead(
            "spdx-app",
            "spdxjson",
            "https://spdx.dev/Document",
            TestData.path("vex", "openvex-vexctl", "examples", "csaf", "sbom.spdx.json"));
    assertThat(sbom.format()).isEqualTo("SPDX");
    assertThat(sbom.subject().name()).isEqualTo("image");
    assertThat(sbom.components())
        .extracting(SbomComponent::purl)
        .containsExactlyInAnyOrder(
            "pkg:generic/component1@1.3.4", "pkg:generic/component2@2.39.0-r1");
  }

  @Test
  void aCycloneDxAttestationWithAnOddFieldIsReadWithAWarning() throws Exception {
    Path predicate = keys.resolve("odd.cdx.json");
    Files.writeString(
        predicate,
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
          {"type": "", "name": "gin", "version": "v1.4.0",
           "purl": "pkg:golang/github.com/gin-gonic/gin@v1.4.0"}]}
        """);
    Sbom sbom = attestedAndRead("odd-app", "cyclonedx", "https://cyclonedx.org/bom", predicate);
    assertThat(sbom.components())
        .extracting(SbomComponent::purl)
        .containsExactly("pkg:golang/github.com/gin-gonic/gin@v1.4.0");
    assertThat(sbom.warnings())
        .containsExactly("components[0].type: \"\" is not a CycloneDX Type value; ignored");
  }
}
