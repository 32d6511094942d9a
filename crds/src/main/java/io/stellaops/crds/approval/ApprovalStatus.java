package io.stellaops.crds.approval;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;

/**
 * Whether an approval counts. Written by the operator's promotion controller only, each time it
 * evaluates the promotion the approval names (until that promotion is decided).
 */
public class ApprovalStatus extends StellaStatus {
  @JsonPropertyDescription("Whether this approval counts towards its promotion now.")
  private Boolean counted;

  @JsonPropertyDescription(
      "Why it does not count: NoApprover, OtherSubject, NoneRequired, NotAllowed, SelfApproval or Expired.")
  private String reason;

  @JsonPropertyDescription("When the approval stops counting (RFC 3339), if it expires.")
  private String expiresAt;

  public Boolean getCounted() {
    return counted;
  }

  public void setCounted(Boolean counted) {
    this.counted = counted;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }
}
