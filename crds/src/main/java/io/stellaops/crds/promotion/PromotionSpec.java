package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.Identity;
import java.util.List;

/** What to promote where. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "Promotion spec is immutable; create a new Promotion",
    reason = "FieldValueForbidden")
public record PromotionSpec(
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("The Release (same namespace) to promote.")
        String release,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("The Environment (same namespace) to promote into.")
        String environment,
    @Size(max = 64)
        @JsonPropertyDescription("Targets of the environment to deploy to; all of them when empty.")
        List<@Size(max = 253) @Pattern(ApiPatterns.NAME) String> targets,
    @Size(max = 1024)
        @JsonPropertyDescription("Why the promotion is requested; recorded in evidence.")
        String reason,
    @JsonPropertyDescription(
            "A freeze-window exemption; needs the approvals of the environment's breakGlass policy.")
        BreakGlass breakGlass,
    @JsonPropertyDescription(
            "Who asked. Stamped by the admission webhook from the authenticated request; a client-supplied value is rejected.")
        Identity requestedBy) {}
