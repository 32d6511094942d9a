package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The verified state of one release component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentStatus(
    @JsonPropertyDescription("Component name.") String name,
    @JsonPropertyDescription("The digest every later step uses.") String digest,
    @JsonPropertyDescription("The tag the digest was resolved from, if any.") String tag,
    @JsonPropertyDescription("Signature verdict: Verified, Failed, Warned (mode warn) or Pending.")
        String signature,
    @JsonPropertyDescription(
            "TrustPolicy and authority that verified the signature, as policy/authority.")
        String verifiedBy,
    @JsonPropertyDescription("When this verdict was first reached (RFC 3339); kept while it holds.")
        String verifiedAt,
    @JsonPropertyDescription("Digest of the SBOM found for this component.") String sbomDigest,
    @JsonPropertyDescription("Vulnerability findings after VEX, by severity.")
        FindingsSummary findings,
    @JsonPropertyDescription(
            "Build provenance from a verified SLSA provenance attestation, when a TrustPolicy"
                + " requires one.")
        ProvenanceSummary provenance) {}
