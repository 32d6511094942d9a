package io.stellaops.crds.deploymentjob;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.ComponentDigest;
import java.util.List;

/** An assignment to one agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "DeploymentJob spec is immutable; the promotion controller creates a new job instead",
    reason = "FieldValueForbidden")
public record DeploymentJobSpec(
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Promotion this job belongs to.")
        String promotion,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Target to act on.")
        String target,
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Agent that must execute the job.")
        String agent,
    @Required @JsonPropertyDescription("deploy, rollback or verify.") Action action,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Release being deployed.")
        String release,
    @Required
        @Size(max = 128)
        @Pattern(ApiPatterns.SEMVER)
        @JsonPropertyDescription("Its version (for stickers and logs).")
        String version,
    @Required
        @Size(min = 1, max = 32)
        @JsonPropertyDescription(
            "Component images pinned by digest; the agent fails the job if it pulls anything else.")
        List<ComponentDigest> components,
    @Default(DEFAULT_TIMEOUT)
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription("How long the job may run before it times out.")
        String timeout) {

  public static final String DEFAULT_TIMEOUT = "30m";

  /** What the agent does. */
  public enum Action {
    @JsonProperty("deploy")
    DEPLOY,
    @JsonProperty("rollback")
    ROLLBACK,
    @JsonProperty("verify")
    VERIFY
  }
}
