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

  @JsonPropertyDescription(
      "The AdvisoryFeed snapshots (feed@sha256:…, comma-separated) the components' findings were last matched against. Promotions whose gates read findings wait while it differs from the snapshots the operator has loaded, or while an AdvisoryFeed has none loaded.")
  private String matchedFeeds;

  public List<ComponentStatus> getComponents() {
    return components;
  }

  public void setComponents(List<ComponentStatus> components) {
    this.components = components;
  }

  public String getMatchedFeeds() {
    return matchedFeeds;
  }

  public void setMatchedFeeds(String matchedFeeds) {
    this.matchedFeeds = matchedFeeds;
  }

  public Quarantine getQuarantine() {
    return quarantine;
  }

  public void setQuarantine(Quarantine quarantine) {
    this.quarantine = quarantine;
  }
}
