package io.stellaops.controllers.target;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges what the agent reported on a Target: {@code Drifted} when a running digest differs from
 * what the last successful DeploymentJob deployed (or a component no longer runs), {@code Ready}
 * when they agree. Reacts to status changes, since the agent writes what it observes there.
 */
@ControllerConfiguration(generationAwareEventProcessing = false)
public class TargetReconciler implements Reconciler<Target> {
  private final Clock clock;

  public TargetReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<Target> reconcile(Target target, Context<Target> context) {
    Instant now = clock.instant();
    long generation = target.getMetadata().getGeneration();
    TargetStatus current = target.getStatus() == null ? new TargetStatus() : target.getStatus();
    List<ComponentDigest> desired = desired(context, target, current);
    String drift = desired == null ? null : drift(desired, current.getRunning());
    boolean wasDrifted =
        Conditions.find(current, ConditionTypes.DRIFTED)
            .map(c -> c.status() == Condition.Status.TRUE)
            .orElse(false);
    TargetStatus wanted = new TargetStatus();
    wanted.setConditions(current.getConditions());
    conditions(wanted, desired, drift, current, generation, now);
    // The agent owns the rest of status: only the conditions are written, when they change,
    // through a JSON patch of what changed, so a concurrent report by the agent is never
    // overwritten.
    if (!wanted.getConditions().equals(current.getConditions())) {
      context
          .getClient()
          .resources(Target.class)
          .inNamespace(target.getMetadata().getNamespace())
          .withName(target.getMetadata().getName())
          .editStatus(t -> {
            TargetStatus status = t.getStatus() == null ? new TargetStatus() : t.getStatus();
            conditions(status, desired, drift, status, generation, now);
            t.setStatus(status);
            return t;
          });
    }
    if (drift != null && !wasDrifted) {
      KubernetesEvents.record(context.getClient(), target, "Warning", "Drifted", drift, now);
    }
    return UpdateControl.noUpdate();
  }

  private static void conditions(
      TargetStatus status,
      List<ComponentDigest> desired,
      String drift,
      TargetStatus reported,
      long generation,
      Instant now) {
    if (desired == null) {
      Conditions.ready(status, generation, "NothingDeployed", "no release deployed here yet", now);
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.DRIFTED,
              Condition.Status.FALSE,
              "NothingDeployed",
              "nothing to compare",
              generation),
          now);
    } else if (drift == null) {
      String message = reported.getRelease() + " runs as deployed by " + reported.getLastJob();
      Conditions.ready(status, generation, "InSync", message, now);
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.DRIFTED, Condition.Status.FALSE, "InSync", message, generation),
          now);
    } else {
      Conditions.stalled(status, generation, "Drifted", drift, now);
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.DRIFTED, Condition.Status.TRUE, "DigestMismatch", drift, generation),
          now);
    }
  }

  /** The digests of the last successful job on this target, or null when there is none. */
  private static List<ComponentDigest> desired(
      Context<Target> context, Target target, TargetStatus status) {
    if (status.getLastJob() == null) {
      return null;
    }
    DeploymentJob job =
        context
            .getClient()
            .resources(DeploymentJob.class)
            .inNamespace(target.getMetadata().getNamespace())
            .withName(status.getLastJob())
            .get();
    if (job == null
        || job.getStatus() == null
        || job.getStatus().getPhase() != JobPhase.SUCCEEDED) {
      return null;
    }
    return job.getSpec().components();
  }

  /** What differs, component by component, or null when everything runs as deployed. */
  static String drift(List<ComponentDigest> desired, List<ComponentDigest> running) {
    Map<String, ComponentDigest> runningByName =
        (running == null ? List.<ComponentDigest>of() : running)
            .stream()
                .collect(Collectors.toMap(ComponentDigest::name, Function.identity(), (a, b) -> a));
    List<String> problems = new ArrayList<>();
    for (ComponentDigest want : desired) {
      ComponentDigest have = runningByName.get(want.name());
      if (have == null) {
        problems.add(want.name() + ": not running (want " + want.digest() + ")");
      } else if (!Objects.equals(have.digest(), want.digest())) {
        problems.add(want.name() + ": runs " + have.digest() + ", want " + want.digest());
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }
}
