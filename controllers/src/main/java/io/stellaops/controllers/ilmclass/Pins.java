package io.stellaops.controllers.ilmclass;

import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why an object is kept past its expiry: what still explains the present is never purged. A release
 * running in an environment, or within its rollback history, pins every promotion, job, approval,
 * decision, evidence packet and findings report about it; a promotion that has not ended pins what
 * belongs to it; a legal hold pins everything of its class; a release that was ever promoted is
 * kept with its evidence.
 */
final class Pins {
  private final Map<String, String> releases = new HashMap<>();
  private final Set<String> promoted;

  /**
   * @param environments every Environment (current release and rollback history)
   * @param promoted {@code namespace/release} of every release some promotion names
   */
  Pins(List<Environment> environments, Set<String> promoted) {
    this.promoted = promoted;
    for (Environment env : environments) {
      var status = env.getStatus();
      if (status == null) {
        continue;
      }
      String ns = env.getMetadata().getNamespace();
      String name = env.getMetadata().getName();
      DeployedRelease current = status.getCurrent();
      if (current != null && current.release() != null) {
        releases.putIfAbsent(
            ns + "/" + current.release(), "release " + current.release() + " runs in " + name);
      }
      List<DeployedRelease> history = status.getHistory() == null ? List.of() : status.getHistory();
      for (DeployedRelease earlier : history) {
        if (earlier.release() != null) {
          releases.putIfAbsent(
              ns + "/" + earlier.release(),
              "release " + earlier.release() + " is a rollback candidate in " + name);
        }
      }
    }
  }

  /** Why {@code g} is kept whatever its expiry, null when nothing keeps it. */
  String why(Governed g, IlmClass cls) {
    if (Boolean.TRUE.equals(cls.getSpec().legalHold())) {
      return "legal hold on IlmClass " + cls.getMetadata().getName();
    }
    if (g.inFlight()) {
      return "promotion " + g.promotion() + " has not ended";
    }
    if (g.release() != null) {
      String running = releases.get(g.namespace() + "/" + g.release());
      if (running != null) {
        return running;
      }
      if (g.kind() == Kind.Release && promoted.contains(g.namespace() + "/" + g.release())) {
        return "release " + g.release() + " was promoted: its evidence explains it";
      }
    }
    return null;
  }
}
