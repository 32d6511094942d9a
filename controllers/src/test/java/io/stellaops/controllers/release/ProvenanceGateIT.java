package io.stellaops.controllers.release;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provenance gate end to end on a real API server, registry and cosign: two images attested
 * with {@code cosign attest --type slsaprovenance1}, one built from the allowed repository and ref,
 * one from a fork; a TrustPolicy requires the provenance attestation, a GatePolicy allows one
 * builder, repository and ref pattern.
 */
@EnableKubeAPIServer
class ProvenanceGateIT {
  static final String NS = "shop";
  static final String BUILDER =
      "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0";
  static KubernetesClient client;
  static LocalRegistry registry;
  static Operator operator;

  static String provenance(String repository, String ref) {
    return """
    {"buildDefinition": {
       "buildType": "https://actions.github.io/buildtypes/workflow/v1",
       "externalParameters": {"workflow": {"ref": "%2$s", "repository": "%1$s",
         "path": ".github/workflows/release.yml"}},
       "resolvedDependencies": [{"uri": "git+%1$s@%2$s",
         "digest": {"gitCommit": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}}]},
     "runDetails": {"builder": {"id": "%3$s"},
       "metadata": {"invocationId": "https://github.com/acme/shop/actions/runs/1/attempts/1"}}}
    """
        .formatted(repository, ref, BUILDER);
  }

  static String pushAttested(CosignCli cosign, Path keys, String name, String repository)
      throws Exception {
    String image = registry.host() + "/shop/" + name;
    String digest = TestImages.push(image + ":1.0.0", "shop " + name);
    cosign.sign(image + "@" + digest, "ci");
    Path predicate = keys.resolve(name + ".provenance.json");
    Files.writeString(predicate, provenance(repository, "refs/heads/main"));
    cosign.attest(image + "@" + digest, "ci", "slsaprovenance1", predicate);
    return digest;
  }

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start();
    Path keys = Files.createTempDirectory("stella-keys");
    var cosign = new CosignCli(keys);
    cosign.generateKeyPair("ci");
    String api = pushAttested(cosign, keys, "api", "https://github.com/acme/shop");
    String fork = pushAttested(cosign, keys, "fork", "https://github.com/mallory/shop");
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    operator = PromotionTestSupport.startOperator(client);
    String pem = cosign.publicKeyPem("ci").strip().replace("\n", "\n          ");
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: shop-images}
        spec:
          images: ["%1$s/shop/**"]
          authorities:
            - name: ci
              key:
                publicKey: |
                  %2$s
          attestations: [{name: provenance, predicateType: "https://slsa.dev/provenance/v1"}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: supply-chain}
        spec:
          builtins:
            provenance:
              builders: ["https://github.com/slsa-framework/slsa-github-generator/*@refs/tags/v2.*"]
              sourceRepositories: ["https://github.com/acme/*"]
              sourceRefs: [refs/heads/main, "refs/tags/v*"]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec:
          gatePolicies: [supply-chain]
          approvals: {required: 1, allowedUsers: [release-manager@example.com]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: api-1.0.0}
        spec:
          version: 1.0.0
          components: [{name: api, image: %1$s/shop/api, digest: %3$s}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: fork-1.0.0}
        spec:
          version: 1.0.0
          components: [{name: api, image: %1$s/shop/fork, digest: %4$s}]
        """
            .formatted(registry.host(), pem, api, fork));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    registry.close();
  }

  static ProvenanceSummary provenanceOf(String release) {
    return PromotionTestSupport.awaitComponent(client, NS, release, c -> c.provenance() != null)
        .provenance();
  }

  static Promotion promote(String name, String release, Phase expected) {
    PromotionTestSupport.promote(client, NS, name, release, "prod");
    return PromotionTestSupport.awaitPhase(client, NS, name, expected);
  }

  @Test
  void provenanceFromTheAllowedSourcePassesTheGate() {
    ProvenanceSummary api = provenanceOf("api-1.0.0");
    assertThat(api.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(api.builderId()).isEqualTo(BUILDER);
    assertThat(api.sourceRepository()).isEqualTo("https://github.com/acme/shop");
    assertThat(api.sourceRef()).isEqualTo("refs/heads/main");
    assertThat(api.sourceDigest()).isEqualTo("gitCommit:a94a8fe5ccb19ba61c4c0873d391e987982fbbd3");
    assertThat(api.attestationDigest()).startsWith("sha256:");
    Promotion waiting = promote("api-to-prod", "api-1.0.0", Phase.AwaitingApproval);
    assertThat(waiting.getStatus().getGates())
        .anySatisfy(g -> {
          assertThat(g.gate()).isEqualTo("supply-chain/provenance");
          assertThat(g.result()).isEqualTo(GateResult.Outcome.Pass);
        });
  }

  @Test
  void provenanceFromAForkIsDeniedNamingTheRepository() {
    assertThat(provenanceOf("fork-1.0.0").sourceRepository())
        .isEqualTo("https://github.com/mallory/shop");
    Promotion denied = promote("fork-to-prod", "fork-1.0.0", Phase.Denied);
    assertThat(denied.getStatus().getDecision().reasons())
        .anySatisfy(r ->
            assertThat(r)
                .isEqualTo(
                    "supply-chain/provenance: api: source repository"
                        + " https://github.com/mallory/shop is not allowed"
                        + " [https://github.com/acme/*]"));
  }
}
