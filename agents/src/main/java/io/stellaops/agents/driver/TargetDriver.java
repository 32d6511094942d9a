package io.stellaops.agents.driver;

import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.target.Target;
import java.util.List;

/**
 * Deploys releases by digest to one type of target. Adding a target type is one implementation of
 * this interface and one line in {@link Drivers}.
 *
 * <p>{@link #deploy} must be idempotent: an agent restarted mid-job runs the job again, and a
 * target that already runs the wanted digests must not be deployed twice.
 */
public interface TargetDriver {
  TargetType type();

  /** Null when the driver can work on this host, else why not (e.g. no Docker socket). */
  String unavailableReason();

  /**
   * Deploys {@code deployment}; throws {@link DeploymentFailure} with a reason a user can act on.
   */
  DeployResult deploy(Deployment deployment, JobLog log) throws DeploymentFailure;

  /** What runs on {@code target} now, per component; empty when nothing of ours runs there. */
  List<ComponentDigest> observe(Target target) throws DeploymentFailure;
}
