package io.stellaops.crds.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.S3Bucket;
import java.util.List;
import java.util.Map;

/** What an Export bundles and where it writes the bundle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "Export spec is immutable: create another Export for another selection",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "has(self.repository) || has(self.s3)",
    message = "an Export needs a destination: repository, s3 or both",
    fieldPath = ".repository",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.delta) || self.profile == 'mirror'",
    message = "delta is for the mirror profile",
    fieldPath = ".delta",
    reason = "FieldValueForbidden")
public record ExportSpec(
    @Required
        @JsonPropertyDescription(
            "What the bundle holds. evidence: the selected EvidencePackets (packet, DSSE envelope,"
                + " decoded Statement), the objects they reference (promotion, decision record,"
                + " approvals, jobs), a release.evidence.json per release, and the public keys that"
                + " verify them. findings: per selected Release, its findings as SARIF 2.1.0 and"
                + " as a CycloneDX 1.6 vulnerability report with VEX analysis, and each component's"
                + " full findings report. mirror: every component image of the selected"
                + " Releases by digest with its cosign signatures, attestations and referrers as"
                + " an OCI image layout, the OCI artifacts the AdvisoryFeeds read, and the"
                + " TrustPolicies covering the images with their public keys, for"
                + " kubectl stella mirror import on the other side of an air gap.")
        Profile profile,
    @JsonPropertyDescription(
            "What to export: every condition given must hold; none selects all of the namespace."
                + " For findings and mirror, environments and times select the Releases promoted"
                + " there and then (by their evidence).")
        Selector selector,
    @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription(
            "OCI repository the bundle is pushed to as an artifact, tagged <namespace>.<name>.")
        String repository,
    @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription(
            "A kubernetes.io/dockerconfigjson Secret in the Export's namespace whose credentials"
                + " for the repository's registry push the bundle, read it back, and read a"
                + " delta's base. Without it, the operator's own registry access.")
        String repositoryCredentials,
    @JsonPropertyDescription(
            "S3 bucket the bundle is written to as <prefix><namespace>.<name>.tar (Object Lock"
                + " keeps it for the lock period).")
        S3Bucket s3,
    @JsonPropertyDescription(
            "Export again on a schedule: each run is its own bundle, tagged (or keyed)"
                + " <namespace>.<name>.<run time, yyyyMMddTHHmmssZ>. An evidence run holds what was"
                + " created since the last complete run (or selector.since) and before its time;"
                + " a missed run is caught up by the next, so nothing falls between two. A"
                + " findings run holds the findings as they are at its time.")
        Schedule schedule,
    @JsonPropertyDescription(
            "Mirror only: leave out every blob (layer, config, manifest) a previous complete"
                + " mirror Export of this namespace already carries, itself or through its own"
                + " base. Import the base on the other side first; the delta names it.")
        Delta delta) {

  /** The Export a delta mirror leaves out what it carries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delta(
      @Required
          @Size(max = 253)
          @Pattern(ApiPatterns.NAME)
          @JsonPropertyDescription(
              "A complete mirror Export in this namespace whose bundle is in an OCI repository.")
          String export) {}

  /** When a recurring Export runs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Schedule(
      @Required
          @Pattern(ApiPatterns.CRON)
          @JsonPropertyDescription("Five-field cron, e.g. \"0 2 * * *\" for 02:00 every day.")
          String cron,
      @io.fabric8.generator.annotation.Default("UTC")
          @Size(max = 64)
          @Pattern(ApiPatterns.TIME_ZONE)
          @JsonPropertyDescription("IANA time zone the cron is read in, e.g. Europe/Berlin.")
          String timeZone) {}

  /** Bundle profiles. */
  public enum Profile {
    @JsonProperty("evidence")
    EVIDENCE("evidence"),
    @JsonProperty("findings")
    FINDINGS("findings"),
    @JsonProperty("mirror")
    MIRROR("mirror");

    private final String value;

    Profile(String value) {
      this.value = value;
    }

    /** As the spec spells it. */
    public String value() {
      return value;
    }
  }

  /** Which evidence an Export bundles. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.since) || !has(self.until) || timestamp(self.since) < timestamp(self.until)",
      message = "since must be before until",
      fieldPath = ".since",
      reason = "FieldValueInvalid")
  public record Selector(
      @Size(max = 64)
          @JsonPropertyDescription("Only evidence of promotions into these Environments.")
          List<@Size(max = 253) @Pattern(ApiPatterns.NAME) String> environments,
      @Size(max = 256)
          @JsonPropertyDescription("Only these Releases (their evidence, or their findings).")
          List<@Size(max = 253) @Pattern(ApiPatterns.NAME) String> releases,
      @Pattern(ApiPatterns.TIMESTAMP)
          @JsonPropertyDescription(
              "Only evidence created at or after this time (RFC 3339), e.g. 2026-10-01T00:00:00Z.")
          String since,
      @Pattern(ApiPatterns.TIMESTAMP)
          @JsonPropertyDescription(
              "Only evidence created before this time (RFC 3339). Without it, everything up to"
                  + " the run (a one-time Export runs once, so its bundle never changes).")
          String until,
      @JsonPropertyDescription(
              "Only Releases carrying all these labels: their evidence, their findings or their"
                  + " images, e.g. {team: payments}.")
          Map<String, @Size(max = 63) String> releaseLabels) {}
}
