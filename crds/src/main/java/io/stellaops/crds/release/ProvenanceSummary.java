package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the component's verified SLSA provenance attestation says about its build. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvenanceSummary(
    @JsonPropertyDescription(
            "Predicate type verified: https://slsa.dev/provenance/v1 or https://slsa.dev/provenance/v0.2.")
        String predicateType,
    @JsonPropertyDescription("Who built it: runDetails.builder.id (v1) or builder.id (v0.2).")
        String builderId,
    @JsonPropertyDescription("How: the build type URI.") String buildType,
    @JsonPropertyDescription(
            "Source repository the build ran from, e.g. https://github.com/acme/shop.")
        String sourceRepository,
    @JsonPropertyDescription("Source ref, e.g. refs/heads/main or refs/tags/v1.2.0.")
        String sourceRef,
    @JsonPropertyDescription("Source commit, e.g. gitCommit:<hex>.") String sourceDigest,
    @JsonPropertyDescription(
            "Digest of the verified attestation (DSSE envelope layer or Sigstore bundle).")
        String attestationDigest) {}
