package io.stellaops.controllers.gates;

import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.promotion.GateResult;

/**
 * The gate result vocabulary. Pass; Fail (blocks); Warn (failed, action warn); Error (could not be
 * evaluated: blocks, because security decisions fail closed); Pending (approvals awaited).
 */
public final class GateResults {
  public static final String PASS = "Pass";
  public static final String FAIL = "Fail";
  public static final String WARN = "Warn";
  public static final String ERROR = "Error";
  public static final String PENDING = "Pending";

  private static final String BLOCK = "block";

  private GateResults() {}

  public static GateResult pass(String gate, String message) {
    return new GateResult(gate, PASS, BLOCK, message);
  }

  /** A failed check: Fail when its action blocks, Warn when it only warns. */
  public static GateResult failed(String gate, GateAction action, String message) {
    boolean warn = action == GateAction.WARN;
    return new GateResult(gate, warn ? WARN : FAIL, warn ? "warn" : BLOCK, message);
  }

  public static GateResult error(String gate, String message) {
    return new GateResult(gate, ERROR, BLOCK, message);
  }

  public static GateResult pending(String gate, String message) {
    return new GateResult(gate, PENDING, BLOCK, message);
  }

  public static boolean blocks(GateResult r) {
    return FAIL.equals(r.result()) || ERROR.equals(r.result());
  }
}
