package io.stellaops.controllers.promotion;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.target.Target;
import java.util.List;

/**
 * What a promotion's next step depends on, as the controller's caches hold it: the promotion and
 * the objects of its namespace it reads. Lookups of absent objects return null. The controller
 * answers from informers; {@link PromotionStateMachine}'s tests answer from maps.
 */
interface Observed {
  Promotion promotion();

  /** The recorded decision, or null before it is recorded. */
  DecisionRecord decisionRecord();

  /** The Approvals naming this promotion. */
  List<Approval> approvals();

  Release release(String name);

  Environment environment(String name);

  GatePolicy gatePolicy(String name);

  /** Every promotion into {@code environment}, this one included. */
  List<Promotion> promotionsInto(String environment);

  List<Target> targetsOf(String environment);

  DeploymentJob job(String name);

  Agent agent(String name);

  /** The agent's heartbeat Lease, or null when it never connected. */
  Lease lease(String agent);

  /** The advisory snapshots this process has loaded for the existing AdvisoryFeeds. */
  AdvisoryFeeds.State advisoryFeeds();

  /** The IlmClass marked default (first by name), or null when there is none. */
  String defaultIlmClass();
}
