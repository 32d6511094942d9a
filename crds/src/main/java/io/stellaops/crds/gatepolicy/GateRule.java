package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.GateAction;

/** One CEL rule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateRule(
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription("Rule name, shown in gate results as policy/rule.")
        String name,
    @Required
        @Size(min = 1, max = 4096)
        @JsonPropertyDescription(
            "CEL expression that must evaluate to true, e.g. release.components.all(c, c.signature == 'Verified').")
        String expression,
    @Required
        @Size(min = 1, max = 1024)
        @JsonPropertyDescription("Message recorded when the rule fails.")
        String message,
    @Default("block")
        @JsonPropertyDescription("block denies the promotion on failure; warn only records it.")
        GateAction action) {}
