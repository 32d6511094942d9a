package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One release component pinned to its digest: what jobs deploy and evidence names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentDigest(
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription("Component name, unique within its release.")
        String name,
    @Required
        @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription("Image repository without tag or digest.")
        String image,
    @Required
        @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription("Manifest (or index) digest, sha256:<64 hex>.")
        String digest) {}
