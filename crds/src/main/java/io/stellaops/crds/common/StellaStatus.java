package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The status every Stella Operator kind shares: kstatus conditions and observedGeneration. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public abstract class StellaStatus {
  @JsonPropertyDescription("The metadata.generation the controller last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "kstatus conditions: Ready (normal-true), Reconciling and Stalled (normal-false), plus the"
          + " kind-specific types documented in the API reference.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }
}
