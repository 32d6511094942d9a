package io.stellaops.crds.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The promotion state machine. Written by the operator's promotion controller only (one apply per
 * step); DeploymentJob phases are copied here from the jobs, which agents write.
 */
public class PromotionStatus extends StellaStatus {
  @JsonPropertyDescription(
      "Current phase: Pending, Evaluating, AwaitingApproval, Deploying, Succeeded, Denied, Failed, Superseded or RolledBack.")
  private Phase phase;

  @JsonPropertyDescription("Every phase change with its time and reason, oldest first.")
  private List<Transition> transitions = new ArrayList<>();

  @JsonPropertyDescription("Result of every gate evaluated, with its reason.")
  private List<GateResult> gates = new ArrayList<>();

  @JsonPropertyDescription("Approvals counted towards this promotion.")
  private ApprovalSummary approvals;

  @JsonPropertyDescription("The decision and the hash of its canonical inputs.")
  private Decision decision;

  @JsonPropertyDescription("One DeploymentJob per target, with its phase.")
  private List<JobRef> jobs = new ArrayList<>();

  @JsonPropertyDescription("Name of the EvidencePacket recording this promotion.")
  private String evidence;

  @JsonPropertyDescription(
      "The version of the release as it was decided on (from its decision record).")
  private String releaseVersion;

  public String getReleaseVersion() {
    return releaseVersion;
  }

  public void setReleaseVersion(String releaseVersion) {
    this.releaseVersion = releaseVersion;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public List<Transition> getTransitions() {
    return transitions;
  }

  public void setTransitions(List<Transition> transitions) {
    this.transitions = transitions;
  }

  public List<GateResult> getGates() {
    return gates;
  }

  public void setGates(List<GateResult> gates) {
    this.gates = gates;
  }

  public ApprovalSummary getApprovals() {
    return approvals;
  }

  public void setApprovals(ApprovalSummary approvals) {
    this.approvals = approvals;
  }

  public Decision getDecision() {
    return decision;
  }

  public void setDecision(Decision decision) {
    this.decision = decision;
  }

  public List<JobRef> getJobs() {
    return jobs;
  }

  public void setJobs(List<JobRef> jobs) {
    this.jobs = jobs;
  }

  public String getEvidence() {
    return evidence;
  }

  public void setEvidence(String evidence) {
    this.evidence = evidence;
  }
}
