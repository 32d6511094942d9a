package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** Where a release must come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamPolicy(
    @Required
        @Size(min = 1, max = 16)
        @JsonPropertyDescription("Names of upstream Environments in this namespace.")
        List<@Pattern(ApiPatterns.NAME) String> environments,
    @Default("AllOf")
        @JsonPropertyDescription(
            "AllOf: the release must have succeeded in every upstream environment; OneOf: in at least one.")
        Mode mode,
    @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription(
            "How long the release must have run successfully upstream before it may enter, e.g. 30m or 24h.")
        String soakTime) {

  /** How upstream environments combine. */
  public enum Mode {
    @JsonProperty("AllOf")
    ALL_OF,
    @JsonProperty("OneOf")
    ONE_OF
  }
}
