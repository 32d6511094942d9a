package io.stellaops.decision.gates;

import io.stellaops.crds.environment.UpstreamPolicy;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A release enters only after it succeeded upstream (all-of or one-of) and soaked there. */
public final class UpstreamGate {
  public static final String NAME = "upstream";

  private UpstreamGate() {}

  public static GateResult evaluate(
      UpstreamPolicy upstream, Map<String, String> succeededAt, Instant now) {
    if (upstream == null || upstream.environments() == null || upstream.environments().isEmpty()) {
      return GateResults.pass(NAME, "no upstream environments required");
    }
    Duration soak;
    try {
      soak = GoDuration.parse(upstream.soakTime());
    } catch (IllegalArgumentException e) {
      return GateResults.error(NAME, "upstream.soakTime: " + e.getMessage());
    }
    List<String> ready = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String env : upstream.environments()) {
      String at = succeededAt.get(env);
      if (at == null) {
        missing.add("not yet succeeded in " + env);
        continue;
      }
      Instant soaked = Instant.parse(at).plus(soak);
      if (now.isBefore(soaked)) {
        missing.add(
            "soaking in "
                + env
                + " until "
                + soaked
                + " ("
                + upstream.soakTime()
                + " after success)");
      } else {
        ready.add(env);
      }
    }
    boolean oneOf = upstream.mode() == UpstreamPolicy.Mode.ONE_OF;
    boolean ok = oneOf ? !ready.isEmpty() : missing.isEmpty();
    if (ok) {
      return GateResults.pass(NAME, "succeeded and soaked in " + String.join(", ", ready));
    }
    String prefix = oneOf ? "needs one of " + upstream.environments() + ": " : "";
    return GateResults.failed(NAME, null, prefix + String.join("; ", missing));
  }
}
