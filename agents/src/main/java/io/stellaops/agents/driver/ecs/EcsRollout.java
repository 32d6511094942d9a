package io.stellaops.agents.driver.ecs;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Where the rollout of one task definition on an ECS service stands, judged from one {@code
 * DescribeServices} answer.
 *
 * <p>ECS reports {@code rolloutState} on each deployment. Where it is absent (older services,
 * emulators) success is judged as ECS itself defines a steady state: the deployment of our task
 * definition is the only one left, PRIMARY, and runs as many tasks as it wants.
 */
public record EcsRollout(State state, String reason) {
  public enum State {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }

  public boolean finished() {
    return state != State.IN_PROGRESS;
  }

  public static EcsRollout of(Service service, String taskDefinitionArn) {
    List<Deployment> deployments = service.deployments();
    Deployment ours =
        deployments.stream()
            .filter(d -> taskDefinitionArn.equals(d.taskDefinition()))
            .reduce((first, second) -> "PRIMARY".equals(second.status()) ? second : first)
            .orElse(null);
    if (ours == null) {
      if (!taskDefinitionArn.equals(service.taskDefinition())) {
        return new EcsRollout(
            State.FAILED,
            "service "
                + service.serviceName()
                + " now runs "
                + service.taskDefinition()
                + ": another deployment replaced "
                + taskDefinitionArn);
      }
      // The service names our task definition but lists no deployment of it: counts decide.
      return byCounts(service.runningCount(), service.pendingCount(), service.desiredCount());
    }
    if ("INACTIVE".equals(ours.status())) {
      return new EcsRollout(
          State.FAILED, "deployment " + ours.id() + " of " + taskDefinitionArn + " was stopped");
    }
    DeploymentRolloutState rollout = ours.rolloutState();
    if (rollout == DeploymentRolloutState.FAILED) {
      return new EcsRollout(
          State.FAILED,
          Objects.requireNonNullElse(
              ours.rolloutStateReason(), "deployment " + ours.id() + " failed"));
    }
    if (rollout == DeploymentRolloutState.COMPLETED && "PRIMARY".equals(ours.status())) {
      return new EcsRollout(
          State.COMPLETED,
          Objects.requireNonNullElse(ours.rolloutStateReason(), "deployment completed"));
    }
    if (rollout == null && deployments.size() == 1 && "PRIMARY".equals(ours.status())) {
      return byCounts(ours.runningCount(), ours.pendingCount(), ours.desiredCount());
    }
    String failed =
        ours.failedTasks() != null && ours.failedTasks() > 0
            ? ", " + ours.failedTasks() + " failed tasks"
            : "";
    return new EcsRollout(
        State.IN_PROGRESS,
        counts(ours.runningCount(), ours.pendingCount(), ours.desiredCount())
            + failed
            + (deployments.size() > 1
                ? ", " + (deployments.size() - 1) + " older deployments"
                : ""));
  }

  private static EcsRollout byCounts(Integer running, Integer pending, Integer desired) {
    int r = running == null ? 0 : running;
    int p = pending == null ? 0 : pending;
    int d = desired == null ? 0 : desired;
    return r >= d && p == 0
        ? new EcsRollout(State.COMPLETED, "steady: " + counts(running, pending, desired))
        : new EcsRollout(State.IN_PROGRESS, counts(running, pending, desired));
  }

  private static String counts(Integer running, Integer pending, Integer desired) {
    return "running " + running + " of " + desired + ", pending " + pending;
  }
}
