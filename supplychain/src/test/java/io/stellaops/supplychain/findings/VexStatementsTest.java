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

  static final String JACKSON = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0";

  /** The SBOM of Acme Product at {@code version}, with jackson-databind in it. */
  static Sbom acme(String version) throws Exception {
    return Sbom.parse(
        ("""
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
         "metadata": {"component": {"type": "application", "name": "Acme Product",
           "version": "%s", "bom-ref": "acme"}},
         "components": [{"type": "library", "bom-ref": "jd", "name": "jackson-databind",
           "version": "2.10.0", "purl": "%s"}]}
        """)
            .formatted(version, JACKSON)
            .getBytes(StandardCharsets.UTF_8));
  }

  static java.util.Optional<String> status(VexStatements vex, Sbom sbom, Finding finding) {
    return vex.verdict(sbom, DIGEST, finding).map(VexVerdict::status);
  }

  @Test
  void aPlainRefNamesTheProductTheVexDocumentDescribes() throws Exception {
    VexStatements case1 = vex("cyclonedx-bom-examples/Use-Cases/Case-1/vex.json");
    Finding jackson = findingAt("GHSA-288c-cq4h-88gq", JACKSON, "2.10.0", "CVE-2020-25649");
    assertThat(status(case1, acme("2.4.0"), jackson)).contains("not_affected");
    assertThat(status(case1, acme("2.5.0"), jackson))
        .as("another version of the product")
        .isEmpty();
    assertThat(status(case1, null, jackson)).as("no SBOM, no product").isEmpty();
  }

  @Test
  void versionRangesLimitAStatementToThoseVersions() throws Exception {
    Finding jackson = findingAt("GHSA-288c-cq4h-88gq", JACKSON, "2.10.0", "CVE-2020-25649");
    VexStatements case4 = vex("cyclonedx-bom-examples/Use-Cases/Case-4/vex.json");
    assertThat(status(case4, acme("2.3.0"), jackson)).contains("not_affected");
    assertThat(status(case4, acme("2.4.0"), jackson)).contains("not_affected");
    assertThat(status(case4, acme("2.5.0"), jackson)).isEmpty();
    VexStatements case5 = vex("cyclonedx-bom-examples/Use-Cases/Case-5/vex.json");
    assertThat(status(case5, acme("1.4.9"), jackson)).contains("not_affected");
    assertThat(status(case5, acme("5.0.0"), jackson)).contains("affected");
    assertThat(status(case5, acme("7.0.0"), jackson)).contains("not_affected");
  }

  @Test
  void aNotAffectedForOldVersionsOfAPackageDoesNotHideTheNewOnes() throws Exception {
    VexStatements vex =
        VexStatements.parse(
            Map.of(
                "old.json",
                """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                 "vulnerabilities": [{"id": "CVE-2020-25649",
                   "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                   "affects": [{"ref": "pkg:maven/com.fasterxml.jackson.core/jackson-databind",
                     "versions": [{"range": "vers:maven/<2.10.0"}]}]}]}
                """
                    .getBytes(StandardCharsets.UTF_8)));
    Finding old =
        findingAt(
            "GHSA-288c-cq4h-88gq",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10",
            "2.9.10",
            "CVE-2020-25649");
    Finding current = findingAt("GHSA-288c-cq4h-88gq", JACKSON, "2.10.0", "CVE-2020-25649");
    assertThat(status(vex, null, old)).contains("not_affected");
    assertThat(status(vex, null, current)).isEmpty();
  }

  @Test
  void aPlainRefTheVexDoesNotDefineNamesAComponentOfTheSbomItAccompanies() throws Exception {
    String vex =
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
         "metadata": {"component": {"type": "application", "name": "Acme Product"}},
         "vulnerabilities": [{"id": "CVE-2020-25649",
           "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
           "affects": [{"ref": "jd"}]}]}
        """;
    VexStatements statements =
        VexStatements.parse(Map.of("acme.vex.json", vex.getBytes(StandardCharsets.UTF_8)));
    Finding jackson = findingAt("GHSA-288c-cq4h-88gq", JACKSON, "2.10.0", "CVE-2020-25649");
    assertThat(status(statements, acme("2.4.0"), jackson)).contains("not_affected");
    Sbom other =
        Sbom.parse(
            ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"metadata\":"
                    + " {\"component\": {\"type\": \"application\", \"name\": \"Other\"}},"
                    + " \"components\": [{\"type\": \"library\", \"bom-ref\": \"jd\","
                    + " \"name\": \"jackson-databind\", \"purl\": \""
                    + JACKSON
                    + "\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(status(statements, other, jackson))
        .as("the same bom-ref in another product")
        .isEmpty();
  }

  static VexException refused(String statement) {
    String doc =
        """
        {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
         "author": "security@example.com", "timestamp": "2026-11-23T10:00:00Z", "version": 1,
         "statements": [%s]}
        """
            .formatted(statement);
    try {
      VexStatements.parse(Map.of("doc.json", doc.getBytes(StandardCharsets.UTF_8)));
    } catch (VexException e) {
      return e;
    }
    throw new AssertionError("accepted: " + statement);
  }

  @Test
  void anOpenVexDocumentThatSaysNothingDefiniteIsRefusedNamingTheStatement() {
    assertThat(
            refused(
                "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:npm/a\"}],"
                    + " \"status\": \"not_affected\"}"))
        .hasMessage(
            "doc.json: statement 0 (CVE-1): not_affected needs a justification or an impact_statement");
    assertThat(
            refused(
                "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:npm/a\"}],"
                    + " \"status\": \"notaffected\"}"))
        .hasMessageStartingWith("doc.json: statement 0 (CVE-1): status notaffected is not one of");
    assertThat(
            refused(
                "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:npm/a\"}],"
                    + " \"status\": \"not_affected\", \"justification\": \"trust_me\"}"))
        .hasMessageStartingWith(
            "doc.json: statement 0 (CVE-1): justification trust_me is not one of");
    assertThatThrownBy(() ->
            VexStatements.parse(
                Map.of(
                    "v9.json",
                    "{\"@context\": \"https://openvex.dev/ns/v9.0.0\", \"statements\": []}"
                        .getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining(
            "v9.json: OpenVEX @context https://openvex.dev/ns/v9.0.0 is not a version");
  }

  @Test
  void aStatementThatCanNeverApplyIsAWarning() throws Exception {
    String doc =
        """
        {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
         "author": "a", "timestamp": "2026-11-23T10:00:00Z", "version": 1,
         "statements": [
           {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "ghcr.io/acme/app:v1"}],
            "status": "not_affected", "justification": "component_not_present"},
           {"vulnerability": {"name": "CVE-2"}, "status": "fixed"},
           {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:npm/a"}],
            "status": "fixed"}]}
        """;
    VexStatements vex =
        VexStatements.parse(Map.of("doc.json", doc.getBytes(StandardCharsets.UTF_8)));
    assertThat(vex.size()).isEqualTo(1);
    assertThat(vex.warnings())
        .containsExactly(
            "doc.json: statement 0 (CVE-1): product ghcr.io/acme/app:v1 is neither a package URL"
                + " nor an image digest (a tag?): it can never apply",
            "doc.json: statement 0 (CVE-1): names no product it can apply to; ignored",
            "doc.json: statement 1 (CVE-2): names no product it can apply to; ignored");
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
    return findingAt(id, purl, "1", aliases);
  }

  static Finding findingAt(String id, String purl, String version, String... aliases) {
    return new Finding(
        id,
        java.util.List.of(aliases),
        java.util.List.of(id),
        purl,
        "x",
        "x",
        version,
        io.stellaops.supplychain.advisory.Severity.HIGH,
        null,
        java.util.List.of(),
        null,
        null);
  }
}
