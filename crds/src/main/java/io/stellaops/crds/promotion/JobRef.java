package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The DeploymentJob of one target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRef(
    @JsonPropertyDescription("Target name.") String target,
    @JsonPropertyDescription("DeploymentJob name.") String job,
    @JsonPropertyDescription("Job phase.") String phase,
    @JsonPropertyDescription("Why the job failed, when it did.") String message) {}
