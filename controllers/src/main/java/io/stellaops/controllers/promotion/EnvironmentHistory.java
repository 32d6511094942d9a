package io.stellaops.controllers.promotion;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.decision.DecisionInput;
import io.stellaops.controllers.status.Conditions;
import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentStatus;
import io.stellaops.crds.promotion.Promotion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records a release that succeeded in an environment: it becomes {@code status.current}, the one
 * before moves to the head of {@code status.history} (rollback candidates, and what downstream
 * environments read as "succeeded upstream").
 */
public final class EnvironmentHistory {
  private EnvironmentHistory() {}

  static void recordSuccess(
      KubernetesClient client, Promotion promotion, DecisionInput inputs, Instant now) {
    client
        .resources(Environment.class)
        .inNamespace(promotion.getMetadata().getNamespace())
        .withName(promotion.getSpec().environment())
        .editStatus(env -> {
          EnvironmentStatus status =
              env.getStatus() == null ? new EnvironmentStatus() : env.getStatus();
          DeployedRelease current = status.getCurrent();
          if (current != null && promotion.getMetadata().getName().equals(current.promotion())) {
            return env;
          }
          List<DeployedRelease> history = new ArrayList<>();
          if (current != null) {
            history.add(current);
          }
          history.addAll(status.getHistory());
          int limit = env.getSpec().historyLimit() == null ? 10 : env.getSpec().historyLimit();
          status.setHistory(List.copyOf(history.subList(0, Math.min(limit, history.size()))));
          status.setCurrent(
              new DeployedRelease(
                  inputs.release().name(),
                  inputs.release().version(),
                  promotion.getMetadata().getName(),
                  Conditions.timestamp(now)));
          status.setActivePromotion(null);
          env.setStatus(status);
          return env;
        });
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
