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
  RolledBack
}
