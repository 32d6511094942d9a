package io.stellaops.crds.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.stellaops.crds.common.ApiPatterns;

/** The release digests and environment an approval is bound to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalSubject(
    @JsonPropertyDescription("Release name.") String release,
    @JsonPropertyDescription("Environment name.") String environment,
    @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription("sha256 over the release's sorted component digests.")
        String digestsHash) {}
