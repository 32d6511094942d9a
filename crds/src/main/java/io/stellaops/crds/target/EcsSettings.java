package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;

/** An AWS ECS service updated with a digest-pinned task definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EcsSettings(
    @Required
        @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")
        @JsonPropertyDescription("AWS region, e.g. eu-west-1.")
        String region,
    @Required @Size(max = 255) @JsonPropertyDescription("ECS cluster name or ARN.") String cluster,
    @Required @Size(max = 255) @JsonPropertyDescription("ECS service name.") String service,
    @Required
        @Size(max = 255)
        @JsonPropertyDescription("Task definition family registered for each release.")
        String taskFamily,
    @Size(max = 1024)
        @JsonPropertyDescription("API endpoint override (VPC endpoint or a local emulator).")
        String endpoint,
    @Default("15m")
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription("How long the service deployment may take before the job fails.")
        String rolloutTimeout) {}
