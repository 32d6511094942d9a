package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.Identity;

/** Why a release may never be promoted again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Quarantine(
    @JsonPropertyDescription("Why the release was quarantined.") String reason,
    @JsonPropertyDescription("Who quarantined it.") Identity by,
    @JsonPropertyDescription("When (RFC 3339).") String at) {}
