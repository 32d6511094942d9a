package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A kstatus condition (the shape of Kubernetes' {@code metav1.Condition}). Types and their polarity
 * are listed in {@link ConditionTypes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Required @JsonPropertyDescription("Condition type, e.g. Ready, Reconciling or Stalled.")
        String type,
    @Required @JsonPropertyDescription("True, False or Unknown.") Status status,
    @JsonPropertyDescription("One CamelCase word a program can switch on, e.g. SignatureInvalid.")
        String reason,
    @JsonPropertyDescription("What happened and, when something is wrong, what to do about it.")
        String message,
    @JsonPropertyDescription("When the status last changed (RFC 3339).") String lastTransitionTime,
    @JsonPropertyDescription("The metadata.generation this condition was computed from.")
        Long observedGeneration) {

  /** Condition status values. */
  public enum Status {
    @JsonProperty("True")
    TRUE,
    @JsonProperty("False")
    FALSE,
    @JsonProperty("Unknown")
    UNKNOWN;

    /** As Kubernetes and kubectl spell it: True, False, Unknown. */
    public String value() {
      return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
  }
}
