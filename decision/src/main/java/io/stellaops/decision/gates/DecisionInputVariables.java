package io.stellaops.decision.gates;

import java.util.List;

/**
 * The variables a gate rule sees: the decision input, documented in docs/policy.md. Rules are
 * compiled against these names, so a typo is reported when the policy is applied, not when a
 * promotion is evaluated.
 */
public final class DecisionInputVariables {
  /**
   * {@code release}: name, version, components (name, image, digest, tag, signature, sbomDigest,
   * findings).
   */
  public static final String RELEASE = "release";

  /** {@code environment}: name and the upstream environments the release succeeded in. */
  public static final String ENVIRONMENT = "environment";

  /** {@code promotion}: name, requestedBy (username, groups), reason, breakGlass. */
  public static final String PROMOTION = "promotion";

  /** {@code approvals}: required, approvedBy, rejectedBy. */
  public static final String APPROVALS = "approvals";

  /** {@code now}: the decision time, a timestamp recorded in the evidence. */
  public static final String NOW = "now";

  public static final List<String> MAPS = List.of(RELEASE, ENVIRONMENT, PROMOTION, APPROVALS);

  private DecisionInputVariables() {}
}
