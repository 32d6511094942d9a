package io.stellaops.controllers.trustpolicy;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.kubernetes.KubernetesSecrets;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.AttestationRequirement;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.crds.trustpolicy.TrustPolicyStatus;
import io.stellaops.supplychain.cosign.CosignAttestationVerifier;
import io.stellaops.supplychain.policy.TrustMaterial;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads what a TrustPolicy refers to — keys inline or in Secrets, registry credentials, CEL
 * conditions of attestations — and says in status whether it can be used: Ready, or Stalled with
 * every problem named. Publishes the policy hash (spec plus loaded keys) that verdicts are cached
 * under. A stalled policy is looked at again every minute, since Secrets are not watched.
 */
@ControllerConfiguration
public class TrustPolicyReconciler implements Reconciler<TrustPolicy> {
  private static final Duration RETRY = Duration.ofMinutes(1);
  private final Clock clock;

  public TrustPolicyReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<TrustPolicy> reconcile(TrustPolicy policy, Context<TrustPolicy> context) {
    TrustMaterial material = new TrustMaterial(new KubernetesSecrets(context.getClient()));
    TrustMaterial.LoadedPolicy loaded = material.load(policy);
    List<String> problems = new ArrayList<>();
    loaded
        .problems()
        .forEach((authority, why) -> problems.add("authority " + authority + ": " + why));
    int authorities = loaded.signers().size();
    var attestations = policy.getSpec().attestations();
    for (AttestationRequirement r :
        attestations == null ? List.<AttestationRequirement>of() : attestations) {
      if (r.condition() != null && !r.condition().isBlank()) {
        String error = CosignAttestationVerifier.compileError(r.condition());
        if (error != null) {
          problems.add("attestation " + r.name() + ": condition does not compile: " + error);
        }
      }
    }
    var credentials = policy.getSpec().registryCredentials();
    for (SecretKeyRef ref : credentials == null ? List.<SecretKeyRef>of() : credentials) {
      try {
        material.credentials(List.of(ref), "registry.invalid/probe");
      } catch (RuntimeException e) {
        problems.add("registryCredentials: " + e.getMessage());
      }
    }
    TrustPolicyStatus status =
        policy.getStatus() == null ? new TrustPolicyStatus() : policy.getStatus();
    status.setAuthoritiesLoaded(authorities);
    status.setPolicyHash(loaded.hash());
    long generation = policy.getMetadata().getGeneration();
    if (problems.isEmpty()) {
      Conditions.ready(
          status, generation, "Loaded", authorities + " authority key(s) loaded", clock.instant());
      return UpdateControl.patchStatus(StatusPatch.of(policy, status, TrustPolicy::new));
    }
    Conditions.stalled(
        status, generation, "NotLoaded", String.join("; ", problems), clock.instant());
    return UpdateControl.patchStatus(StatusPatch.of(policy, status, TrustPolicy::new))
        .rescheduleAfter(RETRY);
  }
}
