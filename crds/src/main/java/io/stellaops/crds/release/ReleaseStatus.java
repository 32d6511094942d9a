package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What the release controller found. Conditions: Ready, Verified (normal-true), NewFindings
 * (normal-false).
 */
public class ReleaseStatus extends StellaStatus {
  @JsonPropertyDescription("One entry per component: digest, signature verdict, SBOM and findings.")
  private List<ComponentStatus> components = new ArrayList<>();

  @JsonPropertyDescription("Set when the release may never be promoted again, with the reason.")
  private Quarantine quarantine;

  public List<ComponentStatus> getComponents() {
    return components;
  }

  public void setComponents(List<ComponentStatus> components) {
    this.components = components;
  }

  public Quarantine getQuarantine() {
    return quarantine;
  }

  public void setQuarantine(Quarantine quarantine) {
    this.quarantine = quarantine;
  }
}
