package io.stellaops.crds.promotion;

/**
 * Promotion phases: {@code Pending → Evaluating → AwaitingApproval → Deploying → Succeeded}, or the
 * terminal {@code Denied}, {@code Failed}, {@code Superseded}, {@code RolledBack}.
 */
public enum Phase {
  Pending,
  Evaluating,
  AwaitingApproval,
  Deploying,
  Succeeded,
  Denied,
  Failed,
  Superseded,
  RolledBack;

  /** Whether a promotion in this phase has ended (nothing will deploy it any more). */
  public boolean ended() {
    return ordinal() >= Succeeded.ordinal();
  }

  /** Whether {@code phase} (null: not reconciled yet) has ended. */
  public static boolean ended(Phase phase) {
    return phase != null && phase.ended();
  }
}
