package io.stellaops.crds.deploymentjob;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent reported. The job's agent is its writer; the operator writes only {@code TimedOut}
 * (with finishedAt and message) while the job is unfinished, and a finished job is never written
 * again. Conditions follow the phase ({@link #conditionsFollowPhase}), set by whichever of the two
 * writes the phase.
 */
public class DeploymentJobStatus extends StellaStatus {
  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or TimedOut.")
  private JobPhase phase;

  @JsonPropertyDescription("When the agent started the job (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the job finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Digests the agent observed running after the job, per component.")
  private List<ComponentDigest> observed = new ArrayList<>();

  @JsonPropertyDescription(
      "Artifacts the agent generated (lockfile, task definition, sticker) and their digests.")
  private List<ArtifactRef> artifacts = new ArrayList<>();

  @JsonPropertyDescription("The last lines of the agent's log for this job.")
  private String logTail;

  @JsonPropertyDescription("Why the job failed or timed out, and what to do.")
  private String message;

  public JobPhase getPhase() {
    return phase;
  }

  public void setPhase(JobPhase phase) {
    this.phase = phase;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public List<ComponentDigest> getObserved() {
    return observed;
  }

  public void setObserved(List<ComponentDigest> observed) {
    this.observed = observed;
  }

  public List<ArtifactRef> getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(List<ArtifactRef> artifacts) {
    this.artifacts = artifacts;
  }

  public String getLogTail() {
    return logTail;
  }

  public void setLogTail(String logTail) {
    this.logTail = logTail;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  /**
   * kstatus conditions for the phase: Reconciling while Pending or Running, Ready when Succeeded,
   * Stalled when Failed or TimedOut, with the phase as reason and the message as message.
   */
  public void conditionsFollowPhase(long generation, Instant now) {
    JobPhase current = phase == null ? JobPhase.PENDING : phase;
    String reason =
        switch (current) {
          case PENDING -> "Pending";
          case RUNNING -> "Running";
          case SUCCEEDED -> "Succeeded";
          case FAILED -> "Failed";
          case TIMED_OUT -> "TimedOut";
        };
    String text =
        message != null
            ? message
            : switch (current) {
              case PENDING -> "waiting for its agent";
              case RUNNING -> "deploying";
              case SUCCEEDED -> "deployed";
              case FAILED, TIMED_OUT -> "no reason given";
            };
    switch (current) {
      case PENDING, RUNNING -> Conditions.reconciling(this, generation, reason, text, now);
      case SUCCEEDED -> Conditions.ready(this, generation, reason, text, now);
      case FAILED, TIMED_OUT -> Conditions.stalled(this, generation, reason, text, now);
    }
  }

  /** Job phases. */
  public enum JobPhase {
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Running")
    RUNNING,
    @JsonProperty("Succeeded")
    SUCCEEDED,
    @JsonProperty("Failed")
    FAILED,
    @JsonProperty("TimedOut")
    TIMED_OUT;

    /** A finished job is never written again, by the agent or the operator. */
    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == TIMED_OUT;
    }

    public boolean unsuccessful() {
      return this == FAILED || this == TIMED_OUT;
    }
  }
}
