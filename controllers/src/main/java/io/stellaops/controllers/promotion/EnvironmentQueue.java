package io.stellaops.controllers.promotion;

import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.environment.EnvironmentSpec.ConcurrencyPolicy;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One promotion at a time per environment. Each promotion judges only itself against the others
 * into the same environment, so no controller writes another object's status:
 *
 * <ul>
 *   <li>{@code Queue}: a promotion waits while an earlier one is unfinished, or any is deploying.
 *   <li>{@code Supersede}: a promotion that has not started deploying gives way to a newer one; a
 *       deployment in progress is never interrupted, a newer promotion queues behind it.
 * </ul>
 *
 * A promotion stalled on a missing input (Stalled=True) holds no one up.
 */
final class EnvironmentQueue {
  private EnvironmentQueue() {}

  /** What this promotion must do before it may be evaluated. */
  sealed interface Verdict {}

  record Proceed() implements Verdict {}

  record Wait(String behind) implements Verdict {}

  record Superseded(String by) implements Verdict {}

  static final Comparator<Promotion> ORDER =
      Comparator.comparing((Promotion p) -> p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.getMetadata().getName());

  static Verdict judge(Promotion self, List<Promotion> sameEnvironment, ConcurrencyPolicy policy) {
    List<Promotion> unfinished =
        sameEnvironment.stream()
            .filter(p -> !p.getMetadata().getName().equals(self.getMetadata().getName()))
            .filter(p -> !Phase.ended(phase(p)))
            .sorted(ORDER)
            .toList();
    // A deployment in progress holds everyone; a promotion stalled on a missing Release or
    // Environment holds no one, so one mistake never blocks the environment.
    Optional<Promotion> deploying =
        unfinished.stream().filter(p -> phase(p) == Phase.Deploying).findFirst();
    List<Promotion> waiting = unfinished.stream().filter(p -> !stalled(p)).toList();
    if (policy == ConcurrencyPolicy.SUPERSEDE) {
      Optional<Promotion> newest =
          waiting.stream().filter(p -> ORDER.compare(p, self) > 0).reduce((a, b) -> b);
      if (newest.isPresent() && phase(self) != Phase.Deploying) {
        return new Superseded(newest.get().getMetadata().getName());
      }
      return deploying.<Verdict>map(p -> new Wait(p.getMetadata().getName())).orElse(new Proceed());
    }
    return deploying
        .or(() -> waiting.stream().filter(p -> ORDER.compare(p, self) < 0).findFirst())
        .<Verdict>map(p -> new Wait(p.getMetadata().getName()))
        .orElse(new Proceed());
  }

  private static boolean stalled(Promotion p) {
    return Conditions.find(p.getStatus(), ConditionTypes.STALLED)
        .map(c -> c.status() == Condition.Status.TRUE)
        .orElse(false);
  }

  private static Phase phase(Promotion p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }
}
