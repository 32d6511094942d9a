package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;

/** An SBOM published as an OCI artifact, pinned by digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SbomReference(
    @Required
        @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription("Repository holding the SBOM artifact.")
        String image,
    @Required
        @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription("Digest of the SBOM artifact manifest.")
        String digest) {}
