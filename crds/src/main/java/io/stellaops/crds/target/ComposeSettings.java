package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A Compose project. The agent renders compose.stella.lock.yml from the template with every
 * component image pinned to its digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComposeSettings(
    @Required
        @Size(max = 63)
        @Pattern("^[a-z0-9][a-z0-9_-]*$")
        @JsonPropertyDescription("Compose project name (docker-compose -p).")
        String projectName,
    @Required
        @Size(min = 1, max = 65536)
        @JsonPropertyDescription(
            "Compose file template. A service whose image is ${stella.<component>} gets that component's repo@digest.")
        String template,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "Directory on the agent host for the lockfile and sticker; defaults to the agent's data directory.")
        String workingDirectory) {}
