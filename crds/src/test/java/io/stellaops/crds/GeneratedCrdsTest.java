package io.stellaops.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratedCrdsTest {
  private static final String HOW_TO_FIX =
      "the committed CRDs or API reference are stale: run hack/update-generated.sh and commit the result";

  @Test
  void generatesOneCrdPerKind() throws Exception {
    assertThat(GeneratedFiles.freshCrds().keySet())
        .containsExactlyInAnyOrder(
            "advisoryfeeds.stellaops.io-v1.yml",
            "agents.stellaops.io-v1.yml",
            "approvals.stellaops.io-v1.yml",
            "deploymentjobs.stellaops.io-v1.yml",
            "environments.stellaops.io-v1.yml",
            "evidencepackets.stellaops.io-v1.yml",
            "exports.stellaops.io-v1.yml",
            "gatepolicies.stellaops.io-v1.yml",
            "ilmclasses.stellaops.io-v1.yml",
            "promotions.stellaops.io-v1.yml",
            "releases.stellaops.io-v1.yml",
            "targets.stellaops.io-v1.yml",
            "trustpolicies.stellaops.io-v1.yml");
  }

  @Test
  void committedCrdsMatchTheApiTypes() throws Exception {
    assertThat(
            GeneratedFiles.syncOrDiff(
                GeneratedFiles.freshCrds(), GeneratedFiles.COMMITTED_CRDS, ".yml"))
        .as(HOW_TO_FIX)
        .isEmpty();
  }

  @Test
  void committedApiReferenceMatchesTheCrds() throws Exception {
    var reference = ApiReference.render(GeneratedFiles.freshCrds().values());
    assertThat(GeneratedFiles.syncOrDiff(reference, GeneratedFiles.API_REFERENCE, ".md"))
        .as(HOW_TO_FIX)
        .isEmpty();
  }
}
