package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** N-of-M approval rule. Any rejection vetoes the promotion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.required == 0 || (has(self.allowedUsers) && size(self.allowedUsers) > 0) || (has(self.allowedGroups) && size(self.allowedGroups) > 0)",
    message =
        "approvals need allowedUsers or allowedGroups when required > 0, otherwise anyone could approve",
    reason = "FieldValueRequired")
public record ApprovalPolicy(
    @Required
        @Min(0)
        @Max(20)
        @JsonPropertyDescription("How many distinct approvers must approve (0 to 20).")
        Integer required,
    @Size(max = 64) @JsonPropertyDescription("Kubernetes user names allowed to approve.")
        List<@Size(max = 253) String> allowedUsers,
    @Size(max = 64) @JsonPropertyDescription("Kubernetes groups whose members may approve.")
        List<@Size(max = 253) String> allowedGroups,
    @Default("false")
        @JsonPropertyDescription(
            "Whether the requester of a promotion may approve it. Off by default.")
        Boolean allowSelfApproval,
    @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription(
            "How long an approval counts after it was given, e.g. 24h; approvals never expire when empty.")
        String expiry) {}
