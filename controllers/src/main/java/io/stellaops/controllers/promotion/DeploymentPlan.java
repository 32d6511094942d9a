package io.stellaops.controllers.promotion;

import io.stellaops.controllers.kubernetes.OwnerReferences;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.LabelValues;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.target.Target;
import io.stellaops.decision.DecisionInput;
import io.stellaops.supplychain.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/** The DeploymentJobs a promotion needs: exactly one per target, with a name derived from both. */
record DeploymentPlan(List<DeploymentJob> jobs, String problem) {

  static DeploymentPlan of(Observed observed, DecisionInput inputs) {
    Promotion promotion = observed.promotion();
    String env = promotion.getSpec().environment();
    List<Target> inEnvironment =
        observed.targetsOf(env).stream()
            .sorted(Comparator.comparing(t -> t.getMetadata().getName()))
            .toList();
    List<String> wanted = promotion.getSpec().targets();
    List<Target> selected = inEnvironment;
    if (wanted != null && !wanted.isEmpty()) {
      List<String> known = inEnvironment.stream().map(t -> t.getMetadata().getName()).toList();
      List<String> unknown = wanted.stream().filter(w -> !known.contains(w)).toList();
      if (!unknown.isEmpty()) {
        return new DeploymentPlan(
            List.of(), "targets " + unknown + " are not Targets of environment " + env);
      }
      selected =
          inEnvironment.stream().filter(t -> wanted.contains(t.getMetadata().getName())).toList();
    }
    if (selected.isEmpty()) {
      return new DeploymentPlan(List.of(), "environment " + env + " has no Targets to deploy to");
    }
    return new DeploymentPlan(
        selected.stream().map(t -> job(promotion, t, inputs.release())).toList(), null);
  }

  private static DeploymentJob job(
      Promotion promotion, Target target, DecisionInput.ReleaseInput release) {
    List<String> only = target.getSpec().components();
    List<ComponentDigest> components =
        release.components().stream()
            .filter(c -> only == null || only.isEmpty() || only.contains(c.name()))
            .map(c -> new ComponentDigest(c.name(), c.image(), c.digest()))
            .toList();
    DeploymentJob job = new DeploymentJob();
    job.getMetadata()
        .setName(jobName(promotion.getMetadata().getName(), target.getMetadata().getName()));
    job.getMetadata().setNamespace(promotion.getMetadata().getNamespace());
    job.getMetadata()
        .getLabels()
        .put("stellaops.io/promotion", LabelValues.of(promotion.getMetadata().getName()));
    job.getMetadata()
        .getLabels()
        .put("stellaops.io/target", LabelValues.of(target.getMetadata().getName()));
    job.getMetadata().getLabels().put(AgentLease.AGENT_LABEL, target.getSpec().agent());
    job.getMetadata().setOwnerReferences(List.of(OwnerReferences.controlledBy(promotion)));
    job.setSpec(
        new DeploymentJobSpec(
            promotion.getMetadata().getName(),
            target.getMetadata().getName(),
            target.getSpec().agent(),
            promotion.getMetadata().getAnnotations() != null
                    && promotion
                        .getMetadata()
                        .getAnnotations()
                        .containsKey(AutoRollback.ROLLBACK_OF)
                ? DeploymentJobSpec.Action.ROLLBACK
                : DeploymentJobSpec.Action.DEPLOY,
            release.name(),
            release.version(),
            components,
            null));
    return job;
  }

  /** {@code <promotion>-<target>}, shortened with a hash when longer than a name may be. */
  static String jobName(String promotion, String target) {
    String name = promotion + "-" + target;
    if (name.length() <= 253) {
      return name;
    }
    String hash = Sha256.hex(name.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    return name.substring(0, 240) + "-" + hash;
  }
}
