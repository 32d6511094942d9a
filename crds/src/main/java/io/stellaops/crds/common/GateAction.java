package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a failing gate does. */
public enum GateAction {
  /** The promotion is denied. */
  @JsonProperty("block")
  BLOCK,
  /** The failure is recorded in status and evidence; the promotion goes on. */
  @JsonProperty("warn")
  WARN
}
