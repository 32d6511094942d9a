package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;

/** Load state of a trust policy. Stalled when a key or trust root cannot be loaded. */
public class TrustPolicyStatus extends StellaStatus {
  @JsonPropertyDescription(
      "sha256 of the canonical spec plus the key and trust-root bytes; verdicts are cached under it.")
  private String policyHash;

  @JsonPropertyDescription("Authorities whose keys or trust roots loaded.")
  private Integer authoritiesLoaded;

  public String getPolicyHash() {
    return policyHash;
  }

  public void setPolicyHash(String policyHash) {
    this.policyHash = policyHash;
  }

  public Integer getAuthoritiesLoaded() {
    return authoritiesLoaded;
  }

  public void setAuthoritiesLoaded(Integer authoritiesLoaded) {
    this.authoritiesLoaded = authoritiesLoaded;
  }
}
