package io.stellaops.controllers.promotion;

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
 *   <li>{@code Queue}: a promotion waits while an earlier one is unfinished.
 *   <li>{@code Supersede}: a promotion that has not started deploying gives way to a newer one; a
 *       deployment in progress is never interrupted, a newer promotion queues behind it.
 * </ul>
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
            .filter(p -> phase(p) == null || !PromotionStateMachine.TERMINAL.contains(phase(p)))
            .sorted(ORDER)
            .toList();
    List<Promotion> earlier = unfinished.stream().filter(p -> ORDER.compare(p, self) < 0).toList();
    if (policy == ConcurrencyPolicy.SUPERSEDE) {
      Optional<Promotion> newest =
          unfinished.stream().filter(p -> ORDER.compare(p, self) > 0).reduce((a, b) -> b);
      if (newest.isPresent() && phase(self) != Phase.Deploying) {
        return new Superseded(newest.get().getMetadata().getName());
      }
      return earlier.stream()
          .filter(p -> phase(p) == Phase.Deploying)
          .findFirst()
          .<Verdict>map(p -> new Wait(p.getMetadata().getName()))
          .orElse(new Proceed());
    }
    return earlier.isEmpty() ? new Proceed() : new Wait(earlier.get(0).getMetadata().getName());
  }

  private static Phase phase(Promotion p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }
}
