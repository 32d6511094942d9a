package io.stellaops.supplychain.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SbomTest {
  static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOddClassificationIsDroppedWithAWarningNotTheDocument() throws Exception {
    byte[] document =
        json(
            """
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
              {"type": "library", "name": "a", "version": "1", "purl": "pkg:npm/a@1"},
              {"type": "", "name": "b", "version": "2", "purl": "pkg:npm/b@2", "scope": ""}]}
            """);
    Sbom sbom = Sbom.parse(document);
    assertThat(sbom.components())
        .extracting(SbomComponent::purl)
        .containsExactly("pkg:npm/a@1", "pkg:npm/b@2");
    assertThat(sbom.warnings())
        .containsExactly(
            "components[1].type: \"\" is not a CycloneDX Type value; ignored",
            "components[1].scope: \"\" is not a CycloneDX Scope value; ignored");
    assertThat(sbom.digest()).as("of the bytes as signed").isEqualTo(Sha256.digest(document));
  }

  @Test
  void aDocumentWhoseMeaningIsUnclearIsRejectedNamingWhere() {
    byte[] listIsAnObject =
        json(
            """
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {"type": "library"}}
            """);
    assertThatThrownBy(() -> Sbom.parse(listIsAnObject))
        .isInstanceOf(SbomException.class)
        .hasMessageStartingWith("not a readable CycloneDX document at components: ");
    assertThatThrownBy(() -> Sbom.parse(json("{\"hello\": 1}")))
        .hasMessage(
            "neither CycloneDX (JSON with bomFormat, or XML) nor SPDX 2.x JSON (spdxVersion)");
  }

  @Test
  void readsSpdxJsonWithTheDescribedPackageAsSubject() throws Exception {
    Sbom sbom =
        Sbom.parse(
            Files.readAllBytes(
                TestData.path("vex", "openvex-vexctl", "examples", "csaf", "sbom.spdx.json")));
    assertThat(sbom.format()).isEqualTo("SPDX");
    assertThat(sbom.specVersion()).isEqualTo("SPDX-2.3");
    assertThat(sbom.subject().name()).isEqualTo("image");
    assertThat(sbom.components())
        .extracting(SbomComponent::bomRef, SbomComponent::purl)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "SPDXRef-Package-component1", "pkg:generic/component1@1.3.4"),
            org.assertj.core.groups.Tuple.tuple(
                "SPDXRef-Package-component2", "pkg:generic/component2@2.39.0-r1"));
  }

  @Test
  void aBrokenSpdxDocumentIsRejectedSayingWhy() {
    assertThatThrownBy(() ->
            Sbom.parse(
                json(
                    "{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\","
                        + " \"packages\": \"not a list\"}")))
        .isInstanceOf(SbomException.class)
        .hasMessageStartingWith("not a readable SPDX 2.x JSON document: ");
  }
}
