package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ArtifactRef;
import java.util.List;

/** The DeploymentJob of one target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRef(
    @JsonPropertyDescription("Target name.") String target,
    @JsonPropertyDescription("DeploymentJob name.") String job,
    @JsonPropertyDescription("Job phase.") String phase,
    @JsonPropertyDescription("Why the job failed, when it did.") String message,
    @Size(max = 16)
        @JsonPropertyDescription(
            "What the agent deployed from (lockfile, task definition, sticker), by digest, as the"
                + " job reported it.")
        List<ArtifactRef> artifacts) {}
