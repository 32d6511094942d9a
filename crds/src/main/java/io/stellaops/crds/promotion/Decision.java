package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The gate decision: a pure function of the inputs hashed in inputsHash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
    @JsonPropertyDescription("allow or deny.") String result,
    @JsonPropertyDescription("Why, one line per blocking gate.") List<String> reasons,
    @JsonPropertyDescription("sha256 of the RFC 8785 canonical JSON of the decision inputs.")
        String inputsHash,
    @JsonPropertyDescription("When the decision was made (RFC 3339).") String decidedAt) {}
