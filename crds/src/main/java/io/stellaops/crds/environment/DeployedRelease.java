package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A release that succeeded in an environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployedRelease(
    @JsonPropertyDescription("Release name.") String release,
    @JsonPropertyDescription("Release version.") String version,
    @JsonPropertyDescription("Promotion that deployed it.") String promotion,
    @JsonPropertyDescription(
            "When its deployment succeeded (RFC 3339); soak time counts from here.")
        String succeededAt) {}
