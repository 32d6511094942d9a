package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One phase change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transition(
    @JsonPropertyDescription("Phase entered.") Phase phase,
    @JsonPropertyDescription("When (RFC 3339).") String time,
    @JsonPropertyDescription("CamelCase reason.") String reason,
    @JsonPropertyDescription("Human-readable explanation.") String message) {}
