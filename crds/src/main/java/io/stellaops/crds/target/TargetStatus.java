package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;

/** What runs on a target. Conditions: Ready (normal-true), Drifted (normal-false). */
public class TargetStatus extends StellaStatus {
  @JsonPropertyDescription("Release the last successful job deployed here.")
  private String release;

  @JsonPropertyDescription("Digests the agent last observed running, per component.")
  private List<ComponentDigest> running = new ArrayList<>();

  @JsonPropertyDescription("The last DeploymentJob for this target.")
  private String lastJob;

  @JsonPropertyDescription(
      "When the agent last looked at what runs on the target (RFC 3339); it looks periodically.")
  private String lastObservedTime;

  public String getLastObservedTime() {
    return lastObservedTime;
  }

  public void setLastObservedTime(String lastObservedTime) {
    this.lastObservedTime = lastObservedTime;
  }

  public String getRelease() {
    return release;
  }

  public void setRelease(String release) {
    this.release = release;
  }

  public List<ComponentDigest> getRunning() {
    return running;
  }

  public void setRunning(List<ComponentDigest> running) {
    this.running = running;
  }

  public String getLastJob() {
    return lastJob;
  }

  public void setLastJob(String lastJob) {
    this.lastJob = lastJob;
  }
}
