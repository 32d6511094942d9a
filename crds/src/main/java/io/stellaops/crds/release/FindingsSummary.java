package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Vulnerability findings of one component after VEX: counts by severity, the open findings the
 * gates read (most severe first), and where the full report is kept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingsSummary(
    @JsonPropertyDescription(
            "Packages matched against advisories: those of an ecosystem a loaded feed covers.")
        Integer checked,
    @JsonPropertyDescription(
            "Components not matched, counted by why: an ecosystem no loaded feed covers (e.g."
                + " Debian:12, npm), a package URL type without OSV data (pkg:generic), an invalid"
                + " package URL, or no package URL at all. The findings report names each one. The"
                + " vulnerabilities gate fails on unchecked packages unless allowUnchecked names"
                + " them.")
        Map<String, Integer> unchecked,
    @JsonPropertyDescription("Critical findings.") Integer critical,
    @JsonPropertyDescription("High findings.") Integer high,
    @JsonPropertyDescription("Medium findings.") Integer medium,
    @JsonPropertyDescription("Low findings.") Integer low,
    @JsonPropertyDescription("Findings without a severity.") Integer unknown,
    @JsonPropertyDescription("Findings suppressed by a VEX statement.") Integer suppressed,
    @JsonPropertyDescription(
            "Advisory feed snapshots the findings were computed against, as feed@sha256:….")
        String feedDigest,
    @JsonPropertyDescription(
            "sha256 of the full findings report (every finding with its VEX verdict).")
        String reportDigest,
    @JsonPropertyDescription(
            "Immutable ConfigMap in the release's namespace holding the full report (key report.json.gz), named after its digest.")
        String report,
    @JsonPropertyDescription("Advisory ids of the most severe findings.") List<String> top,
    @JsonPropertyDescription(
            "Open findings (not suppressed by VEX), most severe first, at most 200.")
        List<OpenFinding> open,
    @JsonPropertyDescription("True when there were more open findings than listed.")
        Boolean truncated,
    @JsonPropertyDescription(
            "When these findings were first computed (RFC 3339); kept while the SBOM and feed"
                + " snapshots are the same.")
        String evaluatedAt) {

  /** One open finding, as gates and CEL rules see it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OpenFinding(
      @JsonPropertyDescription("Advisory id, e.g. GHSA-…, GO-…, PYSEC-….") String id,
      @JsonPropertyDescription("Other ids of the same vulnerability, e.g. CVE-….")
          List<String> aliases,
      @JsonPropertyDescription("critical, high, medium, low or unknown.") String severity,
      @JsonPropertyDescription("Package URL of the affected package.") String purl,
      @JsonPropertyDescription("Versions that fix it; empty when no fix is known.")
          List<String> fixedIn,
      @JsonPropertyDescription(
              "under_investigation or affected when a VEX statement says so, else absent.")
          String vexStatus) {}
}
