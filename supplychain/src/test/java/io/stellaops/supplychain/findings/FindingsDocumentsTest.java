package io.stellaops.supplychain.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.advisory.Severity;
import io.stellaops.supplychain.json.CanonicalJson;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class FindingsDocumentsTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);

  static List<FindingsDocuments.Scanned> components() {
    var open =
        new Finding(
            "GHSA-4446-656p-f54g",
            List.of("CVE-2018-1000613"),
            List.of("GHSA-4446-656p-f54g"),
            "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59",
            "Maven",
            "org.bouncycastle:bcprov-jdk15on",
            "1.59",
            Severity.CRITICAL,
            9.8,
            List.of("1.60"),
            "Unsafe reflection in Bouncy Castle",
            null);
    var suppressed =
        new Finding(
            "GHSA-9999-0000-0001",
            List.of(),
            List.of("GHSA-9999-0000-0001"),
            "pkg:npm/lodash@4.17.20",
            "npm",
            "lodash",
            "4.17.20",
            Severity.HIGH,
            null,
            List.of(),
            null,
            new VexVerdict(
                "not_affected",
                "vulnerable_code_not_in_execute_path",
                "template() is never called",
                "vex/payments.openvex.json"));
    var report =
        new FindingsReport(
            "sha256:" + "b".repeat(64),
            "github@sha256:" + "c".repeat(64),
            List.of(open, suppressed),
            40,
            List.of(
                new FindingsReport.Unchecked(
                    "os", "debian", "12", null, FindingsReport.NO_PACKAGE_URL, "no package URL")));
    return List.of(
        new FindingsDocuments.Scanned("api", "registry.example.com/shop/api", DIGEST, report, null),
        new FindingsDocuments.Scanned(
            "worker",
            "registry.example.com/shop/worker",
            DIGEST,
            null,
            "no SBOM attestation found"));
  }

  @Test
  void cycloneDxIsValidAgainstTheSchemaAndCarriesTheVexAnalysis() throws Exception {
    byte[] bom = FindingsDocuments.cycloneDx("shop-1-4-2", "1.4.2", components(), "0.1.0");
    assertThat(new JsonParser().validate(bom, Version.VERSION_16)).isEmpty();
    assertThat(bom)
        .isEqualTo(FindingsDocuments.cycloneDx("shop-1-4-2", "1.4.2", components(), "0.1.0"));
    var json = CanonicalJson.MAPPER.readTree(bom);
    // a clock in the document would make the same findings differ from one second to the next
    assertThat(json.path("metadata").has("timestamp")).isFalse();
    assertThat(json.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(json.path("vulnerabilities")).hasSize(2);
    var vex = json.path("vulnerabilities").get(1).path("analysis");
    assertThat(vex.path("state").asText()).isEqualTo("not_affected");
    assertThat(vex.path("justification").asText()).isEqualTo("code_not_reachable");
    assertThat(json.path("vulnerabilities").get(0).path("affects").get(0).path("ref").asText())
        .isEqualTo("pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59");
    assertThat(json.path("metadata").path("component").path("properties").toString())
        .contains("worker")
        .contains("unscanned: no SBOM attestation found");
  }

  @Test
  void sarifHasARulePerAdvisoryAResultPerFindingAndNamesWhatWasNotScanned() throws Exception {
    var sarif =
        CanonicalJson.MAPPER.readTree(
            FindingsDocuments.sarif("shop-1-4-2", "1.4.2", components(), "0.1.0"));
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    var run = sarif.path("runs").get(0);
    assertThat(run.path("tool").path("driver").path("rules")).hasSize(2);
    var results = run.path("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("level").asText()).isEqualTo("error");
    assertThat(results.get(0).has("suppressions")).isFalse();
    assertThat(results.get(1).path("suppressions").get(0).path("justification").asText())
        .isEqualTo(
            "VEX not_affected (vulnerable_code_not_in_execute_path): template() is never called,"
                + " per vex/payments.openvex.json");
    assertThat(run.path("properties").path("components").get(1).path("unscanned").asText())
        .isEqualTo("no SBOM attestation found");
    assertThat(
            run.path("properties").path("components").get(0).path("packagesUnchecked").toString())
        .isEqualTo("{\"no package URL\":1}");
  }
}
