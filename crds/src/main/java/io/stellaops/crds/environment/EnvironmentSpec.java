package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** Rules of entry for an environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.freezeWindows) || self.freezeWindows.all(w, self.freezeWindows.exists_one(v, v.name == w.name))",
    message = "freeze window names must be unique",
    fieldPath = ".freezeWindows",
    reason = "FieldValueInvalid")
public record EnvironmentSpec(
    @Size(max = 128) @JsonPropertyDescription("Human-friendly name, e.g. Production (EU).")
        String displayName,
    @JsonPropertyDescription(
            "Environments a release must have succeeded in, and soaked, before it may enter this one.")
        UpstreamPolicy upstream,
    @JsonPropertyDescription(
            "Who must approve a promotion into this environment. No approvals are needed when empty.")
        ApprovalPolicy approvals,
    @Size(max = 32)
        @JsonPropertyDescription(
            "Periods in which promotions are denied unless a break-glass exemption applies.")
        List<FreezeWindow> freezeWindows,
    @JsonPropertyDescription(
            "Which exemptions may bypass a freeze window, and who must approve them.")
        BreakGlassPolicy breakGlass,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Names of GatePolicies (in this namespace) every promotion into this environment must pass.")
        List<@Pattern(ApiPatterns.NAME) String> gatePolicies,
    @Default("false")
        @JsonPropertyDescription(
            "Promote automatically when a release succeeds upstream and has soaked.")
        Boolean autoPromote,
    @Default("Queue")
        @JsonPropertyDescription(
            "What happens to a promotion requested while another is in progress: Queue waits for it; Supersede replaces the waiting one (a running deployment is never interrupted).")
        ConcurrencyPolicy concurrencyPolicy,
    @Default("false")
        @JsonPropertyDescription(
            "Promote the previous release automatically when a deployment into this environment fails.")
        Boolean rollbackOnFailure,
    @Default("10")
        @io.fabric8.generator.annotation.Min(1)
        @io.fabric8.generator.annotation.Max(100)
        @JsonPropertyDescription(
            "How many past releases status.history keeps (rollback candidates).")
        Integer historyLimit,
    @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription(
            "IlmClass for evidence of promotions into this environment; the default class when empty.")
        String ilmClass) {

  /** How concurrent promotions into one environment are handled. */
  public enum ConcurrencyPolicy {
    @JsonProperty("Queue")
    QUEUE,
    @JsonProperty("Supersede")
    SUPERSEDE
  }
}
