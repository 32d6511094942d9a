package io.stellaops.decision.gates;

import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.promotion.GateResult.Outcome;

/** Gate results by outcome ({@link Outcome}). */
public final class GateResults {
  private static final String BLOCK = "block";

  private GateResults() {}

  public static GateResult pass(String gate, String message) {
    return new GateResult(gate, Outcome.Pass, BLOCK, message);
  }

  /** A failed check: Fail when its action blocks, Warn when it only warns. */
  public static GateResult failed(String gate, GateAction action, String message) {
    boolean warn = action == GateAction.WARN;
    return new GateResult(gate, warn ? Outcome.Warn : Outcome.Fail, warn ? "warn" : BLOCK, message);
  }

  public static GateResult error(String gate, String message) {
    return new GateResult(gate, Outcome.Error, BLOCK, message);
  }

  public static GateResult pending(String gate, String message) {
    return new GateResult(gate, Outcome.Pending, BLOCK, message);
  }

  public static boolean blocks(GateResult r) {
    return r.result().blocks();
  }
}
