package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Counts of vulnerability findings by severity, after VEX suppression. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingsSummary(
    @JsonPropertyDescription("Critical findings.") Integer critical,
    @JsonPropertyDescription("High findings.") Integer high,
    @JsonPropertyDescription("Medium findings.") Integer medium,
    @JsonPropertyDescription("Low findings.") Integer low,
    @JsonPropertyDescription("Findings without a severity.") Integer unknown,
    @JsonPropertyDescription("Findings suppressed by a VEX statement.") Integer suppressed,
    @JsonPropertyDescription("Advisory feed snapshot digest the findings were computed against.")
        String feedDigest,
    @JsonPropertyDescription("Digest of the full findings list artifact.") String reportDigest,
    @JsonPropertyDescription("Advisory ids of the most severe findings.") List<String> top) {}
