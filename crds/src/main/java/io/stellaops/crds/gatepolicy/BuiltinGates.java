package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.stellaops.crds.common.GateAction;

/** The built-in gates. A gate that is not listed is not evaluated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuiltinGates(
    @JsonPropertyDescription("Every component's signature verified against a TrustPolicy.")
        Toggle signaturesVerified,
    @JsonPropertyDescription("Every component has an SBOM.") Toggle sbomPresent,
    @JsonPropertyDescription(
            "Every component has verified SLSA build provenance from an allowed builder and source"
                + " (the provenance attestation must be required by the component's TrustPolicy).")
        ProvenanceGate provenance,
    @JsonPropertyDescription("Vulnerability thresholds over findings after VEX.")
        VulnerabilityGate vulnerabilities) {

  /** A built-in gate with no settings but its action. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Toggle(
      @Default("block") @JsonPropertyDescription("block or warn.") GateAction action) {}
}
