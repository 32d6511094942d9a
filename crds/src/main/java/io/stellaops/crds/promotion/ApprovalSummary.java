package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Approvals counted for a promotion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalSummary(
    @JsonPropertyDescription("How many approvals the environment requires.") Integer required,
    @JsonPropertyDescription("User names of approvers whose approval counts.")
        List<String> approvedBy,
    @JsonPropertyDescription("User names of approvers who rejected; any rejection vetoes.")
        List<String> rejectedBy,
    @JsonPropertyDescription(
            "Approvals that do not count, each with the reason (not allowed, self-approval, expired,"
                + " other digests).")
        List<String> notCounted) {}
