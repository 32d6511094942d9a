package io.stellaops.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.gatepolicy.ProvenanceGate;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.release.ProvenanceSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvenanceGateTest {
  static final ProvenanceSummary FROM_MAIN =
      new ProvenanceSummary(
          "https://slsa.dev/provenance/v1",
          "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0",
          "https://actions.github.io/buildtypes/workflow/v1",
          "https://github.com/acme/shop",
          "refs/heads/main",
          "gitCommit:abc",
          "sha256:" + "e".repeat(64));

  static final ProvenanceGate ALLOW_LIST =
      new ProvenanceGate(
          List.of(
              "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/*@refs/tags/v2.*"),
          List.of("https://github.com/acme/*"),
          List.of("refs/heads/main", "refs/tags/v*"),
          GateAction.BLOCK);

  static GateResult gate(ProvenanceGate g, ProvenanceSummary provenance) {
    return GateTestInputs.gate(
        new io.stellaops.crds.gatepolicy.GatePolicySpec(
            null, new io.stellaops.crds.gatepolicy.BuiltinGates(null, null, g, null)),
        null,
        provenance,
        "security/provenance");
  }

  @Test
  void passesProvenanceFromAnAllowedBuilderAndSource() {
    GateResult r = gate(ALLOW_LIST, FROM_MAIN);
    assertThat(r.result()).isEqualTo(GateResult.Outcome.Pass);
  }

  @Test
  void failsNamingWhatIsNotAllowed() {
    var fork =
        new ProvenanceSummary(
            FROM_MAIN.predicateType(),
            "https://ci.example.com/self-hosted",
            null,
            "https://github.com/mallory/shop",
            "refs/heads/feature",
            null,
            FROM_MAIN.attestationDigest());
    GateResult r = gate(ALLOW_LIST, fork);
    assertThat(r.result()).isEqualTo(GateResult.Outcome.Fail);
    assertThat(r.message())
        .contains("api: builder https://ci.example.com/self-hosted is not allowed")
        .contains("api: source repository https://github.com/mallory/shop is not allowed")
        .contains("api: source ref refs/heads/feature is not allowed");
  }

  @Test
  void noVerifiedProvenanceFailsAndSaysWhereItComesFrom() {
    GateResult r = gate(new ProvenanceGate(null, null, null, GateAction.WARN), null);
    assertThat(r.result()).isEqualTo(GateResult.Outcome.Warn);
    assertThat(r.message())
        .isEqualTo(
            "api: no verified SLSA provenance (a TrustPolicy covering registry.example.com/shop/api"
                + " must require the https://slsa.dev/provenance/v1 attestation)");
  }
}
