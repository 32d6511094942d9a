package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.GateAction;
import java.util.List;

/**
 * Build provenance every component must carry: a SLSA provenance attestation (v1 or v0.2) that a
 * TrustPolicy verified, by an allowed builder, from an allowed source. Patterns match whole values;
 * {@code *} matches any run of characters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvenanceGate(
    @Size(max = 32)
        @JsonPropertyDescription(
            "Allowed builder ids, e.g."
                + " https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v*."
                + " Empty: any builder.")
        List<@Size(max = 512) String> builders,
    @Size(max = 32)
        @JsonPropertyDescription(
            "Allowed source repositories, e.g. https://github.com/acme/*. Empty: any source; a"
                + " provenance that names no source fails when this is set.")
        List<@Size(max = 512) String> sourceRepositories,
    @Size(max = 32)
        @JsonPropertyDescription(
            "Allowed source refs, e.g. refs/heads/main or refs/tags/v*. Empty: any ref.")
        List<@Size(max = 256) String> sourceRefs,
    @Default("block") @JsonPropertyDescription("block or warn.") GateAction action) {}
