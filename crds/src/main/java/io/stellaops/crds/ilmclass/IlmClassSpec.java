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
import io.stellaops.crds.common.S3Bucket;
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
        S3Bucket s3) {

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
}
