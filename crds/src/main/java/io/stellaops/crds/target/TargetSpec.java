package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.TargetType;
import java.util.List;

/** A deployment destination. Exactly the settings block matching {@code type} must be set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'docker') == has(self.docker)",
    message = "spec.docker must be set when type is docker, and only then",
    fieldPath = ".docker",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "(self.type == 'compose') == has(self.compose)",
    message = "spec.compose must be set when type is compose, and only then",
    fieldPath = ".compose",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "(self.type == 'ecs') == has(self.ecs)",
    message = "spec.ecs must be set when type is ecs, and only then",
    fieldPath = ".ecs",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "(self.type == 'nomad') == has(self.nomad)",
    message = "spec.nomad must be set when type is nomad, and only then",
    fieldPath = ".nomad",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!has(self.docker) || !has(self.docker.ports) || size(self.docker.ports) == 0"
            + " || (has(self.components) && size(self.components) == 1)",
    message =
        "spec.docker.ports publish host ports, which only one container can hold: list exactly one component in spec.components",
    fieldPath = ".docker.ports",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "self.environment == oldSelf.environment && self.type == oldSelf.type",
    message = "environment and type of a target cannot change; create a new Target",
    reason = "FieldValueForbidden")
public record TargetSpec(
    @Required
        @Pattern(ApiPatterns.NAME)
        @Size(max = 253)
        @JsonPropertyDescription("The Environment (same namespace) this target belongs to.")
        String environment,
    @Required @JsonPropertyDescription("Kind of destination: docker, compose, ecs or nomad.")
        TargetType type,
    @Required
        @Pattern(ApiPatterns.NAME)
        @Size(max = 63)
        @JsonPropertyDescription("The Agent (same namespace) that deploys to this target.")
        String agent,
    @Size(max = 32)
        @JsonPropertyDescription("Release components this target runs; all components when empty.")
        List<@Pattern(ApiPatterns.LABEL) String> components,
    @JsonPropertyDescription("Settings for type docker.") DockerSettings docker,
    @JsonPropertyDescription("Settings for type compose.") ComposeSettings compose,
    @JsonPropertyDescription("Settings for type ecs.") EcsSettings ecs,
    @JsonPropertyDescription("Settings for type nomad.") NomadSettings nomad) {}
