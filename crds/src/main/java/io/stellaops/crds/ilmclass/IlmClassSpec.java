package io.stellaops.crds.ilmclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** Lifecycle rules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.onExpiry != 'Archive' || has(self.archiveRepository) || has(self.s3)",
    message = "onExpiry Archive needs archiveRepository or s3",
    fieldPath = ".archiveRepository",
    reason = "FieldValueRequired")
public record IlmClassSpec(
    @Required
        @Pattern("^[0-9]+(h|d|y)$")
        @JsonPropertyDescription(
            "How long objects are kept after creation: hours, days or years, e.g. 720h, 90d or 7y."
                + " Changing it re-stamps the expiry of every object of the class; pinned objects"
                + " are never purged, whatever their expiry.")
        String retention,
    @Default("false")
        @JsonPropertyDescription("While true, nothing of this class is purged, whatever its age.")
        Boolean legalHold,
    @Required
        @Size(min = 1, max = 7)
        @JsonPropertyDescription(
            "Kinds this class governs: EvidencePacket, DecisionRecord (the promotion's decision"
                + " ConfigMap), Promotion, DeploymentJob, Approval, FindingsReport (a release's"
                + " findings ConfigMap) and Release (only releases never deployed anywhere).")
        List<Kind> appliesTo,
    @Default("false")
        @JsonPropertyDescription(
            "Use this class for objects that name none (an Environment's or Release's ilmClass)."
                + " Exactly one class should be default; with several, the first by name is used"
                + " and the others say so in their status.")
        @JsonProperty("default")
        Boolean isDefault,
    @Default("Delete")
        @JsonPropertyDescription(
            "What happens at expiry: Delete, or Archive (push a bundle of the object and what it"
                + " references to archiveRepository and/or s3, read it back and verify it, then"
                + " delete).")
        ExpiryAction onExpiry,
    @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription(
            "OCI repository archives are pushed to, one artifact per object, tagged"
                + " <namespace>.<kind>.<name>.")
        String archiveRepository,
    @JsonPropertyDescription(
            "S3 bucket archives are written to (Object Lock keeps them for the lock period).")
        S3Archive s3) {

  /** Kinds an ILM class can govern. */
  public enum Kind {
    EvidencePacket,
    DecisionRecord,
    Promotion,
    DeploymentJob,
    Approval,
    FindingsReport,
    Release
  }

  /** Actions at expiry. */
  public enum ExpiryAction {
    @JsonProperty("Delete")
    DELETE,
    @JsonProperty("Archive")
    ARCHIVE
  }

  /** An S3 (or S3-compatible) bucket archives go to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record S3Archive(
      @Required
          @Size(min = 3, max = 63)
          @Pattern("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
          @JsonPropertyDescription(
              "Bucket name. For retention the bucket must have Object Lock enabled.")
          String bucket,
      @Size(max = 512) @JsonPropertyDescription("Key prefix, e.g. stella/archives/.") String prefix,
      @Size(max = 64) @JsonPropertyDescription("Region, e.g. eu-central-1.") String region,
      @Size(max = 512)
          @Pattern("^https?://.+$")
          @JsonPropertyDescription("Endpoint of an S3-compatible server; empty for AWS S3 itself.")
          String endpoint,
      @Required
          @JsonPropertyDescription(
              "Secret (in the operator's namespace) with keys accessKeyId and secretAccessKey.")
          String credentialsSecret,
      @JsonPropertyDescription(
              "Object Lock retention set on every archive written: the server refuses to delete"
                  + " or overwrite it until the period ends.")
          ObjectLock objectLock) {}

  /** Object Lock retention of archived objects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ObjectLock(
      @Required
          @JsonPropertyDescription(
              "COMPLIANCE (nobody can shorten or remove the lock) or GOVERNANCE (users with"
                  + " s3:BypassGovernanceRetention can).")
          LockMode mode,
      @Required
          @Pattern("^[0-9]+(d|y)$")
          @JsonPropertyDescription("How long each archive is locked, e.g. 7y or 400d.")
          String retention) {}

  /** Object Lock modes. */
  public enum LockMode {
    COMPLIANCE,
    GOVERNANCE
  }
}
