package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A generated artifact (lockfile, task definition, findings list, log) identified by digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRef(
    @Required @JsonPropertyDescription("What the artifact is, e.g. compose.stella.lock.yml.")
        String name,
    @Required
        @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription("sha256 digest of the artifact's bytes.")
        String digest,
    @JsonPropertyDescription("Media type, e.g. application/yaml.") String mediaType,
    @JsonPropertyDescription(
            "Where the bytes are stored, e.g. an OCI reference; empty when inline in evidence.")
        String location) {}
