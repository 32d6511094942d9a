package io.stellaops.decision;

import io.stellaops.crds.common.Identity;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.gatepolicy.GatePolicySpec;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.decision.DecisionInput.ComponentInput;
import io.stellaops.decision.DecisionInput.EnvironmentInput;
import io.stellaops.decision.DecisionInput.PolicyInput;
import io.stellaops.decision.DecisionInput.PromotionInput;
import io.stellaops.decision.DecisionInput.ReleaseInput;
import io.stellaops.supplychain.json.CanonicalJson;
import java.util.List;
import java.util.Map;

/**
 * A promotion of one verified component ({@code api}) into prod under one GatePolicy named {@code
 * security}, decided, and the result of the gate named.
 */
final class GateTestInputs {
  static final String NOW = "2026-11-23T10:00:00Z";

  private GateTestInputs() {}

  static GateResult gate(
      GatePolicySpec spec, FindingsSummary findings, ProvenanceSummary provenance, String name) {
    var input =
        new DecisionInput(
            new PromotionInput("p", "shop", new Identity("dev", null, List.of()), null, null, NOW),
            new ReleaseInput(
                "shop-1",
                "1",
                List.of(
                    new ComponentInput(
                        "api",
                        "registry.example.com/shop/api",
                        "sha256:" + "a".repeat(64),
                        null,
                        "Verified",
                        null,
                        "sha256:" + "c".repeat(64),
                        findings,
                        provenance)),
                null),
            new EnvironmentInput(
                "prod",
                new EnvironmentSpec(
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of("security"),
                    false,
                    null,
                    false,
                    10,
                    null),
                Map.of()),
            List.of(),
            List.of(new PolicyInput("security", true, CanonicalJson.digest(spec), spec)),
            NOW);
    return PromotionDecider.decide(input).gates().stream()
        .filter(r -> r.gate().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
