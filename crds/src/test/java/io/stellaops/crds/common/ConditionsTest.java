package io.stellaops.crds.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.gatepolicy.GatePolicyStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-11-23T10:05:00Z");

  @Test
  void keepsTransitionTimeWhileStatusIsUnchanged() {
    var status = new GatePolicyStatus();
    Conditions.ready(status, 1, "RulesCompiled", "2 rule(s) compiled", T0);
    Conditions.ready(status, 2, "RulesCompiled", "3 rule(s) compiled", T1);
    Condition ready = Conditions.find(status, ConditionTypes.READY).orElseThrow();
    assertThat(ready.lastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(ready.message()).isEqualTo("3 rule(s) compiled");
    assertThat(ready.observedGeneration()).isEqualTo(2);
    assertThat(status.getObservedGeneration()).isEqualTo(2);
  }

  @Test
  void stallingFlipsReadyAndRecordsWhen() {
    var status = new GatePolicyStatus();
    Conditions.ready(status, 1, "RulesCompiled", "ok", T0);
    Conditions.stalled(status, 2, "InvalidRule", "rule x: undeclared reference", T1);
    assertThat(status.getConditions())
        .extracting(Condition::type, Condition::status, Condition::lastTransitionTime)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                ConditionTypes.READY, Condition.Status.FALSE, "2026-11-23T10:05:00Z"),
            org.assertj.core.groups.Tuple.tuple(
                ConditionTypes.STALLED, Condition.Status.TRUE, "2026-11-23T10:05:00Z"));
  }

  @Test
  void readyClearsStalledAndReconciling() {
    var status = new GatePolicyStatus();
    Conditions.reconciling(status, 1, "Loading", "loading keys", T0);
    Conditions.stalled(status, 1, "KeyMissing", "secret not found", T0);
    Conditions.ready(status, 2, "Loaded", "ok", T1);
    assertThat(status.getConditions())
        .extracting(Condition::type)
        .containsExactly(ConditionTypes.READY);
  }

  @Test
  void kindSpecificConditionsSurviveStateChanges() {
    var status = new GatePolicyStatus();
    Conditions.set(
        status,
        Conditions.condition(ConditionTypes.DRIFTED, Condition.Status.FALSE, "InSync", "", 1),
        T0);
    Conditions.stalled(status, 1, "X", "y", T1);
    assertThat(Conditions.find(status, ConditionTypes.DRIFTED)).isPresent();
  }
}
