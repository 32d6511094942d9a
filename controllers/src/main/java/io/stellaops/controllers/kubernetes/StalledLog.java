package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line when an object becomes Stalled, or stays Stalled for another reason: something a
 * person must fix, so the operator log says it as the object's status does, with the resource's
 * kind, namespace and name (the reconcile's MDC carries them too).
 */
public final class StalledLog {
  private static final Logger LOG = LoggerFactory.getLogger(StalledLog.class);

  private StalledLog() {}

  /** Logs when {@code next} is Stalled and {@code previous} was not, or for another reason. */
  public static void onWrite(HasMetadata resource, Object previous, Object next) {
    Optional<Condition> stalled = stalled(next);
    if (stalled.isEmpty()) {
      return;
    }
    Optional<Condition> before = stalled(previous);
    if (before.isPresent()
        && Objects.equals(before.get().reason(), stalled.get().reason())
        && Objects.equals(before.get().message(), stalled.get().message())) {
      return;
    }
    LOG.warn(
        "{} {}/{} stalled ({}): {}",
        resource.getKind(),
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        stalled.get().reason(),
        stalled.get().message());
  }

  private static Optional<Condition> stalled(Object status) {
    return status instanceof StellaStatus s
        ? Conditions.find(s, ConditionTypes.STALLED)
            .filter(c -> c.status() == Condition.Status.TRUE)
        : Optional.empty();
  }
}
