package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kinds of freeze-window exemption. */
public enum BreakGlassType {
  @JsonProperty("Rollback")
  ROLLBACK,
  @JsonProperty("SecurityFix")
  SECURITY_FIX
}
