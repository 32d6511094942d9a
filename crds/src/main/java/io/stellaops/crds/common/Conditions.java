package io.stellaops.crds.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place conditions are written. kstatus semantics: {@code Ready} is always present; {@code
 * Reconciling} and {@code Stalled} are present only while True. A condition keeps its
 * lastTransitionTime while its status does not change, and every write stamps observedGeneration.
 */
public final class Conditions {
  private Conditions() {}

  /** The desired state is reached: Ready=True, no Reconciling, no Stalled. */
  public static void ready(
      StellaStatus status, long generation, String reason, String message, Instant now) {
    set(
        status,
        condition(ConditionTypes.READY, Condition.Status.TRUE, reason, message, generation),
        now);
    remove(status, ConditionTypes.RECONCILING);
    remove(status, ConditionTypes.STALLED);
    status.setObservedGeneration(generation);
  }

  /** Work is under way: Reconciling=True, Ready=False with the same reason. */
  public static void reconciling(
      StellaStatus status, long generation, String reason, String message, Instant now) {
    set(
        status,
        condition(ConditionTypes.RECONCILING, Condition.Status.TRUE, reason, message, generation),
        now);
    set(
        status,
        condition(ConditionTypes.READY, Condition.Status.FALSE, reason, message, generation),
        now);
    remove(status, ConditionTypes.STALLED);
    status.setObservedGeneration(generation);
  }

  /** No progress without a change by the user: Stalled=True, Ready=False, no Reconciling. */
  public static void stalled(
      StellaStatus status, long generation, String reason, String message, Instant now) {
    set(
        status,
        condition(ConditionTypes.STALLED, Condition.Status.TRUE, reason, message, generation),
        now);
    set(
        status,
        condition(ConditionTypes.READY, Condition.Status.FALSE, reason, message, generation),
        now);
    remove(status, ConditionTypes.RECONCILING);
    status.setObservedGeneration(generation);
  }

  /** Sets a kind-specific condition (e.g. Drifted, Verified) without touching the others. */
  public static void set(StellaStatus status, Condition update, Instant now) {
    List<Condition> merged = new ArrayList<>();
    boolean found = false;
    for (Condition c : status.getConditions()) {
      if (c.type().equals(update.type())) {
        found = true;
        String since =
            c.status() == update.status() && c.lastTransitionTime() != null
                ? c.lastTransitionTime()
                : timestamp(now);
        merged.add(withTime(update, since));
      } else {
        merged.add(c);
      }
    }
    if (!found) {
      merged.add(withTime(update, timestamp(now)));
    }
    status.setConditions(merged);
  }

  public static Optional<Condition> find(StellaStatus status, String type) {
    return status == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public static Condition condition(
      String type, Condition.Status value, String reason, String message, long generation) {
    return new Condition(type, value, reason, message, null, generation);
  }

  public static void remove(StellaStatus status, String type) {
    status.setConditions(
        status.getConditions().stream().filter(c -> !c.type().equals(type)).toList());
  }

  private static Condition withTime(Condition c, String time) {
    return new Condition(
        c.type(), c.status(), c.reason(), c.message(), time, c.observedGeneration());
  }

  /** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
  public static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
