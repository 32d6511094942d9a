package io.stellaops.controllers.promotion;

import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What ran in an environment, from the promotions into it that succeeded: the newest is {@code
 * status.current}, the ones before are {@code status.history}, newest first (rollback candidates,
 * and what downstream environments read as "succeeded upstream"). Promotions already recorded, or
 * that succeeded before the current one, are never added again, so history outlives the promotions
 * it names.
 */
public final class EnvironmentHistory {
  private EnvironmentHistory() {}

  /** Current and history after {@code promotions} into the environment. */
  public record Deployed(DeployedRelease current, List<DeployedRelease> history) {}

  public static Deployed advance(
      DeployedRelease current, List<DeployedRelease> history, List<Promotion> into, int limit) {
    Set<String> recorded =
        Stream.concat(Stream.ofNullable(current), history.stream())
            .map(DeployedRelease::promotion)
            .collect(Collectors.toSet());
    Instant since = current == null ? Instant.MIN : Instant.parse(current.succeededAt());
    List<DeployedRelease> newer =
        into.stream()
            .filter(p -> !recorded.contains(p.getMetadata().getName()))
            .flatMap(p -> succeeded(p).stream())
            .filter(d -> !Instant.parse(d.succeededAt()).isBefore(since))
            .sorted(
                Comparator.comparing((DeployedRelease d) -> Instant.parse(d.succeededAt()))
                    .thenComparing(DeployedRelease::promotion))
            .toList();
    List<DeployedRelease> older = new ArrayList<>(history);
    for (DeployedRelease d : newer) {
      if (current != null) {
        older.addFirst(current);
      }
      current = d;
    }
    return new Deployed(current, List.copyOf(older.subList(0, Math.min(limit, older.size()))));
  }

  /** The release {@code promotion} deployed and when, if it succeeded. */
  static Optional<DeployedRelease> succeeded(Promotion promotion) {
    if (promotion.getStatus() == null) {
      return Optional.empty();
    }
    return promotion.getStatus().getTransitions().stream()
        .filter(t -> t.phase() == Phase.Succeeded)
        .map(Transition::time)
        .findFirst()
        .map(at ->
            new DeployedRelease(
                promotion.getSpec().release(),
                promotion.getStatus().getReleaseVersion(),
                promotion.getMetadata().getName(),
                at));
  }

  /** When {@code release} first succeeded in {@code environment}, from its current and history. */
  public static Optional<String> succeededAt(Environment environment, String release) {
    if (environment.getStatus() == null) {
      return Optional.empty();
    }
    var status = environment.getStatus();
    return Stream.concat(Stream.ofNullable(status.getCurrent()), status.getHistory().stream())
        .filter(d -> release.equals(d.release()) && d.succeededAt() != null)
        .map(DeployedRelease::succeededAt)
        .min(Comparator.comparing(Instant::parse));
  }
}
