package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A gate policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.rules) || has(self.builtins)",
    message = "a gate policy needs rules, builtins, or both",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.rules) || self.rules.all(r, self.rules.exists_one(s, s.name == r.name))",
    message = "rule names must be unique within a policy",
    fieldPath = ".rules",
    reason = "FieldValueInvalid")
public record GatePolicySpec(
    @Size(max = 64)
        @JsonPropertyDescription(
            "CEL rules evaluated over the decision input (see docs/policy.md); a rule passes when its expression is true.")
        List<GateRule> rules,
    @JsonPropertyDescription("Built-in gates and their settings.") BuiltinGates builtins) {}
