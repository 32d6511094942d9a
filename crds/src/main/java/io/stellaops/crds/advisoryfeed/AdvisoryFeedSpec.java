package io.stellaops.crds.advisoryfeed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** An advisory feed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdvisoryFeedSpec(
    @Required @JsonPropertyDescription("Where the OSV snapshot comes from.") FeedSource source,
    @Default("osv")
        @JsonPropertyDescription("Snapshot format; osv (OSV JSON records) is supported.")
        Format format,
    @Size(max = 64)
        @JsonPropertyDescription("OpenVEX or CycloneDX VEX documents applied to findings.")
        List<FeedSource> vex,
    @Default("1h")
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription("How often the source is checked for a new snapshot.")
        String refreshInterval) {

  /** Snapshot formats. */
  public enum Format {
    @JsonProperty("osv")
    OSV
  }
}
