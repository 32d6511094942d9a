package io.stellaops.crds.gatepolicy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;

/** Compilation state of a gate policy. Stalled when a rule does not compile. */
public class GatePolicyStatus extends StellaStatus {
  @JsonPropertyDescription("Number of CEL rules that compiled.")
  private Integer ruleCount;

  @JsonPropertyDescription(
      "sha256 of the canonical spec; recorded in evidence of every decision using it.")
  private String policyDigest;

  public Integer getRuleCount() {
    return ruleCount;
  }

  public void setRuleCount(Integer ruleCount) {
    this.ruleCount = ruleCount;
  }

  public String getPolicyDigest() {
    return policyDigest;
  }

  public void setPolicyDigest(String policyDigest) {
    this.policyDigest = policyDigest;
  }
}
