package io.stellaops.controllers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.environment.EnvironmentSpec.ConcurrencyPolicy;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionSpec;
import io.stellaops.crds.promotion.PromotionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentQueueTest {
  private static Promotion promotion(String name, String created, Phase phase) {
    Promotion p = new Promotion();
    p.getMetadata().setName(name);
    p.getMetadata().setCreationTimestamp(created);
    p.setSpec(new PromotionSpec("r", "prod", null, null, null, null));
    if (phase != null) {
      var status = new PromotionStatus();
      status.setPhase(phase);
      p.setStatus(status);
    }
    return p;
  }

  private static final Promotion FIRST =
      promotion("first", "2026-11-23T10:00:00Z", Phase.AwaitingApproval);
  private static final Promotion SECOND = promotion("second", "2026-11-23T10:05:00Z", null);

  @Test
  void queueWaitsBehindAnyEarlierUnfinishedPromotion() {
    assertThat(EnvironmentQueue.judge(SECOND, List.of(FIRST, SECOND), ConcurrencyPolicy.QUEUE))
        .isEqualTo(new EnvironmentQueue.Wait("first"));
    assertThat(EnvironmentQueue.judge(FIRST, List.of(FIRST, SECOND), ConcurrencyPolicy.QUEUE))
        .isEqualTo(new EnvironmentQueue.Proceed());
  }

  @Test
  void finishedPromotionsDoNotHoldTheQueue() {
    var denied = promotion("first", "2026-11-23T10:00:00Z", Phase.Denied);
    assertThat(EnvironmentQueue.judge(SECOND, List.of(denied, SECOND), ConcurrencyPolicy.QUEUE))
        .isEqualTo(new EnvironmentQueue.Proceed());
  }

  @Test
  void supersedeReplacesAWaitingPromotionWithTheNewest() {
    var third = promotion("third", "2026-11-23T10:07:00Z", null);
    assertThat(
            EnvironmentQueue.judge(
                FIRST, List.of(FIRST, SECOND, third), ConcurrencyPolicy.SUPERSEDE))
        .isEqualTo(new EnvironmentQueue.Superseded("third"));
    assertThat(
            EnvironmentQueue.judge(
                third, List.of(FIRST, SECOND, third), ConcurrencyPolicy.SUPERSEDE))
        .isEqualTo(new EnvironmentQueue.Proceed());
  }

  @Test
  void supersedeNeverInterruptsADeployment() {
    var deploying = promotion("first", "2026-11-23T10:00:00Z", Phase.Deploying);
    assertThat(
            EnvironmentQueue.judge(
                deploying, List.of(deploying, SECOND), ConcurrencyPolicy.SUPERSEDE))
        .isEqualTo(new EnvironmentQueue.Proceed());
    assertThat(
            EnvironmentQueue.judge(SECOND, List.of(deploying, SECOND), ConcurrencyPolicy.SUPERSEDE))
        .isEqualTo(new EnvironmentQueue.Wait("first"));
  }

  @Test
  void aPromotionStalledOnAMissingInputHoldsNoOneUp() {
    var stuck = promotion("first", "2026-11-23T10:00:00Z", Phase.Pending);
    Conditions.stalled(
        stuck.getStatus(),
        1,
        "InputMissing",
        "Release r does not exist in namespace n",
        java.time.Instant.parse("2026-11-23T10:00:01Z"));
    assertThat(EnvironmentQueue.judge(SECOND, List.of(stuck, SECOND), ConcurrencyPolicy.QUEUE))
        .isEqualTo(new EnvironmentQueue.Proceed());
    assertThat(EnvironmentQueue.judge(SECOND, List.of(stuck, SECOND), ConcurrencyPolicy.SUPERSEDE))
        .isEqualTo(new EnvironmentQueue.Proceed());
  }

  @Test
  void anEarlierPromotionThatComesUnstuckWaitsForTheOneDeploying() {
    var later = promotion("second", "2026-11-23T10:05:00Z", Phase.Deploying);
    assertThat(EnvironmentQueue.judge(FIRST, List.of(FIRST, later), ConcurrencyPolicy.QUEUE))
        .isEqualTo(new EnvironmentQueue.Wait("second"));
  }
}
