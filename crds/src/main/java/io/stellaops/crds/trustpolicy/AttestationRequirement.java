package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An attestation a matching image must carry, signed by one of the policy's authorities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttestationRequirement(
    @Required @Size(max = 63) @JsonPropertyDescription("Name shown in verdicts, e.g. sbom.")
        String name,
    @Required
        @Size(max = 512)
        @JsonPropertyDescription(
            "in-toto predicate type, e.g. https://cyclonedx.org/bom or https://slsa.dev/provenance/v1.")
        String predicateType,
    @Size(max = 4096)
        @JsonPropertyDescription(
            "Optional CEL condition over the predicate (variable predicate), e.g. predicate.specVersion == '1.5'.")
        String condition) {}
