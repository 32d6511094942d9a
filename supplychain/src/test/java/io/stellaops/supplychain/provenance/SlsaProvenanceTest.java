package io.stellaops.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class SlsaProvenanceTest {
  /** As slsa-github-generator writes it for a GitHub Actions workflow (build type v1). */
  static final String GITHUB_V1 =
      """
      {"buildDefinition": {
         "buildType": "https://actions.github.io/buildtypes/workflow/v1",
         "externalParameters": {"workflow": {"ref": "refs/tags/v1.2.0",
           "repository": "https://github.com/acme/shop", "path": ".github/workflows/release.yml"}},
         "resolvedDependencies": [{"uri": "git+https://github.com/acme/shop@refs/tags/v1.2.0",
           "digest": {"gitCommit": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}}]},
       "runDetails": {"builder": {"id":
         "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0"}}}
      """;

  @Test
  void readsWhoBuiltItFromWhichSource() throws Exception {
    var p = SlsaProvenance.of(SlsaProvenance.V1, CanonicalJson.MAPPER.readTree(GITHUB_V1));
    assertThat(p.builderId()).endsWith("generator_container_slsa3.yml@refs/tags/v2.0.0");
    assertThat(p.buildType()).isEqualTo("https://actions.github.io/buildtypes/workflow/v1");
    assertThat(p.sourceRepository()).isEqualTo("https://github.com/acme/shop");
    assertThat(p.sourceRef()).isEqualTo("refs/tags/v1.2.0");
    assertThat(p.sourceDigest()).isEqualTo("gitCommit:a94a8fe5ccb19ba61c4c0873d391e987982fbbd3");
  }

  @Test
  void readsTheSourceFromAGitDependencyAndFromV02() throws Exception {
    var generic =
        SlsaProvenance.of(
            SlsaProvenance.V1,
            CanonicalJson.MAPPER.readTree(
                """
                {"buildDefinition": {"buildType": "https://example.com/build/v1",
                   "resolvedDependencies": [{"uri": "pkg:maven/a/b@1"},
                     {"uri": "git+https://git.example.com/team/app.git@refs/heads/main",
                      "digest": {"sha1": "0123"}}]},
                 "runDetails": {"builder": {"id": "https://ci.example.com/builder"}}}
                """));
    assertThat(generic.sourceRepository()).isEqualTo("https://git.example.com/team/app.git");
    assertThat(generic.sourceRef()).isEqualTo("refs/heads/main");
    assertThat(generic.sourceDigest()).isEqualTo("sha1:0123");
    var old =
        SlsaProvenance.of(
            SlsaProvenance.V02,
            CanonicalJson.MAPPER.readTree(
                """
                {"builder": {"id": "https://ci.example.com/v02"}, "buildType": "https://example.com/t",
                 "invocation": {"configSource": {"uri": "git+https://github.com/acme/shop@refs/heads/main",
                   "digest": {"sha1": "abcd"}}}}
                """));
    assertThat(old.builderId()).isEqualTo("https://ci.example.com/v02");
    assertThat(old.sourceRepository()).isEqualTo("https://github.com/acme/shop");
    assertThat(old.sourceRef()).isEqualTo("refs/heads/main");
  }

  @Test
  void provenanceWithoutABuilderSaysNothing() {
    assertThatThrownBy(() ->
            SlsaProvenance.of(
                SlsaProvenance.V1, CanonicalJson.MAPPER.readTree("{\"runDetails\": {}}")))
        .hasMessage("the provenance names no builder (runDetails.builder.id)");
  }
}
