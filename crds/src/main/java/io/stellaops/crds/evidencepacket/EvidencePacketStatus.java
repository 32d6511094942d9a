package io.stellaops.crds.evidencepacket;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;

/** Lifecycle of an evidence packet. */
public class EvidencePacketStatus extends StellaStatus {
  @JsonPropertyDescription(
      "When the packet may be purged under its ILM class (RFC 3339); empty under legal hold.")
  private String expiresAt;

  @JsonPropertyDescription("Whether a legal hold prevents purging.")
  private Boolean legalHold;

  @JsonPropertyDescription("OCI reference the packet was exported to, if any.")
  private String exportedTo;

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public Boolean getLegalHold() {
    return legalHold;
  }

  public void setLegalHold(Boolean legalHold) {
    this.legalHold = legalHold;
  }

  public String getExportedTo() {
    return exportedTo;
  }

  public void setExportedTo(String exportedTo) {
    this.exportedTo = exportedTo;
  }
}
