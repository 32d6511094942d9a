package io.stellaops.agents.driver.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.agents.driver.ecs.EcsRollout.State;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

class EcsRolloutTest {
  static final String OLD = "arn:aws:ecs:eu-west-1:1:task-definition/api:1";
  static final String NEW = "arn:aws:ecs:eu-west-1:1:task-definition/api:2";

  static Deployment deployment(
      String taskDefinition,
      String status,
      DeploymentRolloutState state,
      int running,
      int desired) {
    return Deployment.builder()
        .id("ecs-svc/" + taskDefinition.hashCode())
        .taskDefinition(taskDefinition)
        .status(status)
        .rolloutState(state)
        .rolloutStateReason(state == null ? null : "ECS deployment " + state)
        .runningCount(running)
        .pendingCount(desired - running)
        .desiredCount(desired)
        .build();
  }

  static Service service(String taskDefinition, int running, int desired, Deployment... ds) {
    return Service.builder()
        .serviceName("api")
        .taskDefinition(taskDefinition)
        .runningCount(running)
        .pendingCount(desired - running)
        .desiredCount(desired)
        .deployments(List.of(ds))
        .build();
  }

  @Test
  void rolloutStateDecidesWhenEcsReportsIt() {
    var inProgress =
        service(
            NEW,
            1,
            2,
            deployment(NEW, "PRIMARY", DeploymentRolloutState.IN_PROGRESS, 1, 2),
            deployment(OLD, "ACTIVE", DeploymentRolloutState.COMPLETED, 2, 2));
    assertThat(EcsRollout.of(inProgress, NEW).state()).isEqualTo(State.IN_PROGRESS);
    assertThat(EcsRollout.of(inProgress, NEW).reason())
        .isEqualTo("running 1 of 2, pending 1, 1 older deployments");

    var completed =
        service(NEW, 2, 2, deployment(NEW, "PRIMARY", DeploymentRolloutState.COMPLETED, 2, 2));
    assertThat(EcsRollout.of(completed, NEW).state()).isEqualTo(State.COMPLETED);
  }

  @Test
  void circuitBreakerFailureAndRollbackFailTheRollout() {
    var failed =
        service(
            OLD,
            2,
            2,
            deployment(OLD, "PRIMARY", DeploymentRolloutState.IN_PROGRESS, 0, 2),
            deployment(NEW, "ACTIVE", DeploymentRolloutState.FAILED, 0, 2));
    EcsRollout rollout = EcsRollout.of(failed, NEW);
    assertThat(rollout.state()).isEqualTo(State.FAILED);
    assertThat(rollout.reason()).isEqualTo("ECS deployment FAILED");

    var stopped = service(OLD, 2, 2, deployment(NEW, "INACTIVE", null, 0, 2));
    assertThat(EcsRollout.of(stopped, NEW).state()).isEqualTo(State.FAILED);
  }

  @Test
  void completedButNoLongerPrimaryIsNotSuccess() {
    var superseded =
        service(
            "arn:aws:ecs:eu-west-1:1:task-definition/api:3",
            2,
            2,
            deployment(
                "arn:aws:ecs:eu-west-1:1:task-definition/api:3",
                "PRIMARY",
                DeploymentRolloutState.IN_PROGRESS,
                0,
                2),
            deployment(NEW, "ACTIVE", DeploymentRolloutState.COMPLETED, 2, 2));
    assertThat(EcsRollout.of(superseded, NEW).state()).isEqualTo(State.IN_PROGRESS);
  }

  @Test
  void withoutRolloutStateCountsOfTheOnlyPrimaryDeploymentDecide() {
    assertThat(EcsRollout.of(service(NEW, 1, 2, deployment(NEW, "PRIMARY", null, 1, 2)), NEW))
        .isEqualTo(new EcsRollout(State.IN_PROGRESS, "running 1 of 2, pending 1"));
    assertThat(
            EcsRollout.of(service(NEW, 2, 2, deployment(NEW, "PRIMARY", null, 2, 2)), NEW).state())
        .isEqualTo(State.COMPLETED);
    var twoDeployments =
        service(
            NEW,
            2,
            2,
            deployment(NEW, "PRIMARY", null, 2, 2),
            deployment(OLD, "ACTIVE", null, 1, 1));
    assertThat(EcsRollout.of(twoDeployments, NEW).state()).isEqualTo(State.IN_PROGRESS);
  }

  @Test
  void serviceNamingOurTaskDefinitionWithoutItsDeploymentIsJudgedByServiceCounts() {
    var staleRecord =
        service(NEW, 2, 2, deployment(OLD, "PRIMARY", DeploymentRolloutState.IN_PROGRESS, 0, 2));
    assertThat(EcsRollout.of(staleRecord, NEW).state()).isEqualTo(State.COMPLETED);
    var short1 =
        service(NEW, 1, 2, deployment(OLD, "PRIMARY", DeploymentRolloutState.COMPLETED, 2, 2));
    assertThat(EcsRollout.of(short1, NEW).state()).isEqualTo(State.IN_PROGRESS);
  }

  @Test
  void anotherDeploymentReplacingOursFails() {
    var replaced =
        service(
            "arn:aws:ecs:eu-west-1:1:task-definition/api:9",
            2,
            2,
            deployment(
                "arn:aws:ecs:eu-west-1:1:task-definition/api:9",
                "PRIMARY",
                DeploymentRolloutState.COMPLETED,
                2,
                2));
    EcsRollout rollout = EcsRollout.of(replaced, NEW);
    assertThat(rollout.state()).isEqualTo(State.FAILED);
    assertThat(rollout.reason()).contains("another deployment replaced " + NEW);
  }
}
