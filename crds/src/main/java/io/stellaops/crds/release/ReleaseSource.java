package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * Build provenance as CI reports it (informational; verified provenance comes from attestations).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseSource(
    @Size(max = 512) @JsonPropertyDescription("Source repository URL.") String repository,
    @Size(max = 128) @JsonPropertyDescription("Commit or revision the release was built from.")
        String revision,
    @Size(max = 1024) @JsonPropertyDescription("Link to the CI run that built it.")
        String buildUrl) {}
