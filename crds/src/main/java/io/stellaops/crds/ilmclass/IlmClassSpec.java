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
    value = "self.onExpiry != 'Archive' || has(self.archiveRepository)",
    message = "onExpiry Archive needs archiveRepository",
    fieldPath = ".archiveRepository",
    reason = "FieldValueRequired")
public record IlmClassSpec(
    @Required
        @Pattern("^[0-9]+(h|d|y)$")
        @JsonPropertyDescription(
            "How long objects are kept after creation: hours, days or years, e.g. 720h, 90d or 7y.")
        String retention,
    @Default("false")
        @JsonPropertyDescription("While true, nothing of this class is purged, whatever its age.")
        Boolean legalHold,
    @Required
        @Size(min = 1, max = 4)
        @JsonPropertyDescription(
            "Kinds this class governs: EvidencePacket, DeploymentJob, Promotion, Approval.")
        List<Kind> appliesTo,
    @Default("false")
        @JsonPropertyDescription(
            "Use this class for objects that name none. At most one class should be default.")
        @JsonProperty("default")
        Boolean isDefault,
    @Default("Delete")
        @JsonPropertyDescription(
            "What happens at expiry: Delete, or Archive (push to archiveRepository as an OCI artifact, then delete).")
        ExpiryAction onExpiry,
    @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription("OCI repository archives are pushed to.")
        String archiveRepository) {

  /** Kinds an ILM class can govern. */
  public enum Kind {
    EvidencePacket,
    DeploymentJob,
    Promotion,
    Approval
  }

  /** Actions at expiry. */
  public enum ExpiryAction {
    @JsonProperty("Delete")
    DELETE,
    @JsonProperty("Archive")
    ARCHIVE
  }
}
