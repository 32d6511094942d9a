package io.stellaops.controllers.gatepolicy;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.gatepolicy.GatePolicyStatus;
import io.stellaops.decision.gates.GateRuleCompiler;
import io.stellaops.supplychain.json.CanonicalJson;
import java.time.Clock;

/**
 * Checks that every rule of a GatePolicy compiles and publishes the policy digest that evidence
 * records. A rule that does not compile stalls the policy with every error named; promotions using
 * a stalled policy are denied (fail closed).
 */
@ControllerConfiguration
public class GatePolicyReconciler implements Reconciler<GatePolicy> {
  private final Clock clock;

  public GatePolicyReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<GatePolicy> reconcile(GatePolicy policy, Context<GatePolicy> context) {
    long generation = policy.getMetadata().getGeneration();
    var compiled = GateRuleCompiler.check(policy.getSpec().rules());
    GatePolicyStatus status =
        policy.getStatus() == null ? new GatePolicyStatus() : policy.getStatus();
    status.setPolicyDigest(CanonicalJson.digest(policy.getSpec()));
    status.setRuleCount(compiled.rules().size());
    if (compiled.ok()) {
      Conditions.ready(
          status,
          generation,
          "RulesCompiled",
          compiled.rules().size() + " rule(s) compiled",
          clock.instant());
    } else {
      Conditions.stalled(
          status, generation, "InvalidRule", String.join("; ", compiled.errors()), clock.instant());
    }
    return UpdateControl.patchStatus(StatusPatch.of(policy, status, GatePolicy::new));
  }
}
