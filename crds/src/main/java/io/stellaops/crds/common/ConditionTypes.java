package io.stellaops.crds.common;

/**
 * The condition vocabulary. {@code Ready} is normal-true (abnormal when False); {@code Reconciling}
 * and {@code Stalled} are normal-false (present and True only while work is ongoing or stuck), as
 * kstatus, Argo CD and Flux expect. Kind-specific types are documented on their kinds.
 */
public final class ConditionTypes {
  /** The object's desired state is achieved. Normal-true. */
  public static final String READY = "Ready";

  /** The controller is working towards the desired state. Normal-false. */
  public static final String RECONCILING = "Reconciling";

  /** The controller cannot make progress without a change by the user. Normal-false. */
  public static final String STALLED = "Stalled";

  /** Target only: a running digest differs from the desired one. Normal-false. */
  public static final String DRIFTED = "Drifted";

  /**
   * Agent only: the agent's clock is more than 30 s off the API server's (liveness does not depend
   * on it; the times it reports in job status do). Normal-false.
   */
  public static final String CLOCK_SKEWED = "ClockSkewed";

  /** Release only: every component's signature verified against a TrustPolicy. Normal-true. */
  public static final String VERIFIED = "Verified";

  /** Release only: a feed update produced findings that were not there before. Normal-false. */
  public static final String NEW_FINDINGS = "NewFindings";

  private ConditionTypes() {}
}
