package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.SecretKeyRef;
import java.util.List;

/** A trust policy. An image matching a glob must be signed by at least one authority. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.authorities.all(a, self.authorities.exists_one(b, b.name == a.name))",
    message = "authority names must be unique within a policy",
    fieldPath = ".authorities",
    reason = "FieldValueInvalid")
public record TrustPolicySpec(
    @Required
        @Size(min = 1, max = 64)
        @JsonPropertyDescription(
            "Image globs this policy applies to, e.g. registry.example.com/shop/** (** crosses '/', * does not).")
        List<@Size(max = 512) String> images,
    @Required
        @Size(min = 1, max = 16)
        @JsonPropertyDescription(
            "Who may sign: a signature by any one authority satisfies the policy.")
        List<Authority> authorities,
    @Size(max = 16) @JsonPropertyDescription("Attestations every matching image must carry.")
        List<AttestationRequirement> attestations,
    @Default("enforce")
        @JsonPropertyDescription(
            "enforce denies admission of what fails the policy; warn admits with a warning and an Event.")
        Mode mode,
    @Size(max = 16)
        @JsonPropertyDescription(
            "dockerconfigjson Secrets used to read signatures and attestations from private registries.")
        List<SecretKeyRef> registryCredentials) {

  /** Enforcement mode. */
  public enum Mode {
    @JsonProperty("enforce")
    ENFORCE,
    @JsonProperty("warn")
    WARN
  }
}
