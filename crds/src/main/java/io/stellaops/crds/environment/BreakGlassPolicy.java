package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.BreakGlassType;
import java.util.List;

/** Typed exemptions from freeze windows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BreakGlassPolicy(
    @Required
        @Size(min = 1, max = 2)
        @JsonPropertyDescription("Exemption types that may bypass a freeze: Rollback, SecurityFix.")
        List<BreakGlassType> allowedTypes,
    @Required
        @JsonPropertyDescription(
            "Approvals a break-glass promotion needs, in addition to the environment's own.")
        ApprovalPolicy approvals) {}
