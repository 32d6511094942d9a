package io.stellaops.crds.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.TargetType;
import java.util.List;

/** A registered agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.capabilities.all(c, self.capabilities.exists_one(d, d == c))",
    message = "capabilities must not repeat",
    fieldPath = ".capabilities",
    reason = "FieldValueInvalid")
public record AgentSpec(
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription(
            "ServiceAccount (same namespace) the agent authenticates as; only it may update this agent's jobs.")
        String serviceAccountName,
    @Required
        @Size(min = 1, max = 4)
        @JsonPropertyDescription(
            "Target types the agent can deploy to: docker, compose, ecs, nomad.")
        List<TargetType> capabilities,
    @Default(AgentSpec.DEFAULT_HEARTBEAT_TIMEOUT)
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription(
            "How long after its last Lease renewal the agent counts as gone and its running jobs time out.")
        String heartbeatTimeout,
    @Default("1") @Min(1) @Max(64) @JsonPropertyDescription("How many jobs the agent runs at once.")
        Integer maxConcurrentJobs) {
  /** The one place the default is written: the schema, the agent and the operator read it. */
  public static final String DEFAULT_HEARTBEAT_TIMEOUT = "40s";

  /** {@link #heartbeatTimeout}, or the default when the object was stored without it. */
  public String heartbeatTimeoutOrDefault() {
    return heartbeatTimeout == null ? DEFAULT_HEARTBEAT_TIMEOUT : heartbeatTimeout;
  }
}
