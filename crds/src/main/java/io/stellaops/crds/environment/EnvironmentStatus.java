package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What runs in an environment. Written by the operator's environment controller only: current and
 * history follow the promotions into the environment that succeeded, activePromotion the one being
 * evaluated or deployed.
 */
public class EnvironmentStatus extends StellaStatus {
  @JsonPropertyDescription("The release that last succeeded here.")
  private DeployedRelease current;

  @JsonPropertyDescription(
      "Releases that succeeded here before the current one, newest first (rollback candidates).")
  private List<DeployedRelease> history = new ArrayList<>();

  @JsonPropertyDescription(
      "The promotion being deployed here, else the earliest one still waiting for its decision; absent when none is.")
  private String activePromotion;

  @JsonPropertyDescription("Whether a freeze window is in force now.")
  private Boolean frozen;

  @JsonPropertyDescription("Name of the freeze window in force and when it ends.")
  private String activeFreezeWindow;

  public DeployedRelease getCurrent() {
    return current;
  }

  public void setCurrent(DeployedRelease current) {
    this.current = current;
  }

  public List<DeployedRelease> getHistory() {
    return history;
  }

  public void setHistory(List<DeployedRelease> history) {
    this.history = history;
  }

  public String getActivePromotion() {
    return activePromotion;
  }

  public void setActivePromotion(String activePromotion) {
    this.activePromotion = activePromotion;
  }

  public Boolean getFrozen() {
    return frozen;
  }

  public void setFrozen(Boolean frozen) {
    this.frozen = frozen;
  }

  public String getActiveFreezeWindow() {
    return activeFreezeWindow;
  }

  public void setActiveFreezeWindow(String activeFreezeWindow) {
    this.activeFreezeWindow = activeFreezeWindow;
  }
}
