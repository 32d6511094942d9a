package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.BreakGlassType;

/** A typed exemption from freeze windows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BreakGlass(
    @Required @JsonPropertyDescription("Rollback or SecurityFix.") BreakGlassType type,
    @Required
        @Size(min = 10, max = 1024)
        @JsonPropertyDescription(
            "Why the freeze must be broken (at least 10 characters); recorded in evidence.")
        String justification) {}
