package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The outcome of one gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(
    @JsonPropertyDescription(
            "Gate name: a built-in gate (upstream, freeze, signatures, sbom, vulnerabilities, approvals) or policy/rule.")
        String gate,
    @JsonPropertyDescription(
            "Pass; Fail (blocks); Warn (failed, action warn); Error (could not be evaluated: blocks,"
                + " security decisions fail closed); Pending (approvals awaited).")
        Outcome result,
    @JsonPropertyDescription("block or warn: whether a failure denies the promotion.")
        String action,
    @JsonPropertyDescription("Why the gate decided as it did.") String message) {

  /** What a gate decided; spelled as in evidence, status and CEL. */
  public enum Outcome {
    Pass,
    /** Failed, and the gate blocks. */
    Fail,
    /** Failed, and the gate only warns. */
    Warn,
    /** Could not be evaluated: blocks, because security decisions fail closed. */
    Error,
    /** Approvals are awaited. */
    Pending;

    public boolean blocks() {
      return this == Fail || this == Error;
    }
  }
}
