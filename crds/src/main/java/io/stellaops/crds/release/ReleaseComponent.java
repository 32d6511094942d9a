package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;

/** One image of a release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.tag) || has(self.digest)",
    message = "a component needs a tag or a digest; the tag is resolved to a digest at admission",
    reason = "FieldValueRequired")
public record ReleaseComponent(
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription(
            "Component name (RFC 1123 label), e.g. api or worker; unique within the release.")
        String name,
    @Required
        @Size(max = 255)
        @Pattern(ApiPatterns.REPOSITORY)
        @JsonPropertyDescription(
            "Image repository without tag or digest, e.g. registry.example.com/shop/api.")
        String image,
    @Size(max = 128)
        @Pattern(ApiPatterns.TAG)
        @JsonPropertyDescription(
            "The tag CI pushed. Kept for humans; only the digest is ever deployed.")
        String tag,
    @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription(
            "Manifest or index digest (sha256:<64 hex>). Set by the admission webhook when only a tag is given; checked against the registry when given.")
        String digest,
    @JsonPropertyDescription(
            "An SBOM stored as an OCI artifact for this component, when it is not attached as a cosign attestation.")
        SbomReference sbom) {}
