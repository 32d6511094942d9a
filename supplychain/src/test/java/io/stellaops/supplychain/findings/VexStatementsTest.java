package io.stellaops.supplychain.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.sbom.Sbom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VEX documents written by others (testdata/vex) applied to real findings. */
class VexStatementsTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  static VexStatements vex(String... files) throws Exception {
    Map<String, byte[]> docs = new LinkedHashMap<>();
    for (String f : files) {
      docs.put(f, Files.readAllBytes(TestData.path("vex", f.split("/"))));
    }
    return VexStatements.parse(docs);
  }

  /** Trivy's own SBOM subject and two of its dependencies at vulnerable versions. */
  static Sbom trivySbom() throws Exception {
    String bom =
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
         "metadata": {"component": {"type": "application", "name": "trivy",
           "purl": "pkg:golang/github.com/aquasecurity/trivy@v0.53.0"}},
         "components": [
           {"type": "library", "name": "helm.sh/helm/v3", "version": "v3.14.0",
            "purl": "pkg:golang/helm.sh/helm/v3@v3.14.0"},
           {"type": "library", "name": "github.com/cloudflare/circl", "version": "v1.3.0",
            "purl": "pkg:golang/github.com/cloudflare/circl@v1.3.0"},
           {"type": "library", "name": "github.com/gin-gonic/gin", "version": "v1.4.0",
            "purl": "pkg:golang/github.com/gin-gonic/gin@v1.4.0"}]}
        """;
    return Sbom.parse(bom.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void trivysOpenVexSuppressesItsNotAffectedFindingsWithTheJustification() throws Exception {
    AdvisoryIndex index = AdvisorySnapshots.load(TestData.path("osv", "golang-vulndb"));
    FindingsReport report =
        Matcher.match(trivySbom(), index, vex("trivy/trivy.openvex.json"), DIGEST);
    Finding helm = byId(report, "GO-2024-2575");
    assertThat(helm.suppressed()).isTrue();
    assertThat(helm.vex().status()).isEqualTo("not_affected");
    assertThat(helm.vex().justification()).isEqualTo("vulnerable_code_not_in_execute_path");
    assertThat(helm.vex().document()).isEqualTo("trivy/trivy.openvex.json");
    assertThat(byId(report, "GO-2023-1765").suppressed()).isTrue(); // circl
    // gin is not named by trivy's statements: still a finding
    assertThat(byId(report, "GO-2021-0052").vex()).isNull();
    assertThat(report.suppressed()).isGreaterThanOrEqualTo(2);
    assertThat(report.top(10)).doesNotContain("GO-2024-2575").contains("GO-2021-0052");
  }

  @Test
  void aStatementAboutAnotherProductDoesNotApply() throws Exception {
    AdvisoryIndex index = AdvisorySnapshots.load(TestData.path("osv", "golang-vulndb"));
    String bom =
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
         "metadata": {"component": {"type": "application", "name": "other",
           "purl": "pkg:golang/example.com/other@v1.0.0"}},
         "components": [{"type": "library", "name": "helm.sh/helm/v3", "version": "v3.14.0",
           "purl": "pkg:golang/helm.sh/helm/v3@v3.14.0"}]}
        """;
    FindingsReport report =
        Matcher.match(
            Sbom.parse(bom.getBytes(StandardCharsets.UTF_8)),
            index,
            vex("trivy/trivy.openvex.json"),
            DIGEST);
    assertThat(byId(report, "GO-2024-2575").vex()).isNull();
  }

  @Test
  void theLatestStatementWinsAcrossDocuments() throws Exception {
    VexStatements both =
        vex(
            "openvex-vexctl/examples/openvex/document2.vex.json",
            "openvex-vexctl/examples/openvex/document1.vex.json");
    Finding bash = finding("CVE-1234-5678", "pkg:apk/wolfi/bash@1.0.0");
    assertThat(both.verdict(null, DIGEST, bash).orElseThrow().status()).isEqualTo("fixed");
    VexStatements first = vex("openvex-vexctl/examples/openvex/document1.vex.json");
    var investigating = first.verdict(null, DIGEST, bash).orElseThrow();
    assertThat(investigating.status()).isEqualTo("under_investigation");
    assertThat(investigating.suppresses()).isFalse();
  }

  @Test
  void anImageNamedByOciPurlMatchesItsDigestAndAliasesMatchIds() throws Exception {
    VexStatements history = vex("openvex-vexctl/examples/sarif/sample-history.openvex.json");
    String nginx = "sha256:13d22ec63300e16014d4a42aed735207a8b33c223cff19627dd3042e5a10a3a0";
    Finding viaAlias =
        finding(
            "SNYK-DEBIAN12-LIBDE265-3361563", "pkg:deb/debian/libde265@1.0.11-1?distro=debian-12");
    assertThat(history.verdict(null, nginx, viaAlias).orElseThrow().status())
        .isEqualTo("not_affected");
    assertThat(history.verdict(null, DIGEST, viaAlias)).isEmpty();
  }

  @Test
  void cycloneDxVexNamesPackagesByPurlInItsBomLinks() throws Exception {
    VexStatements cdx = vex("cyclonedx-bom-examples/vex.json");
    Finding jackson =
        finding(
            "GHSA-288c-cq4h-88gq",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
            "CVE-2020-25649");
    var verdict = cdx.verdict(null, DIGEST, jackson).orElseThrow();
    assertThat(verdict.status()).isEqualTo("not_affected");
    assertThat(verdict.justification()).isEqualTo("code_not_reachable");
    Finding otherVersion =
        finding(
            "GHSA-288c-cq4h-88gq",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.0",
            "CVE-2020-25649");
    assertThat(cdx.verdict(null, DIGEST, otherVersion)).isEmpty();
  }

  @Test
  void documentsThatAreNotVexAreRefusedByName() {
    assertThatThrownBy(() -> VexStatements.parse(Map.of("a.json", "[]".getBytes())))
        .hasMessage("a.json: not a VEX document (a JSON object)");
    assertThatThrownBy(() -> VexStatements.parse(Map.of("b.json", "{\"x\": 1}".getBytes())))
        .hasMessageContaining("b.json: neither OpenVEX");
    assertThatThrownBy(() -> VexStatements.parse(Map.of("c.json", "{".getBytes())))
        .hasMessageStartingWith("c.json: not JSON");
  }

  static Finding byId(FindingsReport report, String id) {
    return report.findings().stream()
        .filter(f -> f.ids().contains(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not among " + report.findings()));
  }

  static Finding finding(String id, String purl, String... aliases) {
    return new Finding(
        id,
        java.util.List.of(aliases),
        java.util.List.of(id),
        purl,
        "x",
        "x",
        "1",
        io.stellaops.supplychain.advisory.Severity.HIGH,
        null,
        java.util.List.of(),
        null,
        null);
  }
}
