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
        String result,
    @JsonPropertyDescription("block or warn: whether a failure denies the promotion.")
        String action,
    @JsonPropertyDescription("Why the gate decided as it did.") String message) {}
