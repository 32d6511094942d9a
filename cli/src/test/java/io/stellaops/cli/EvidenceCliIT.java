package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static io.stellaops.controllers.PromotionTestSupport.apply;
import static io.stellaops.controllers.PromotionTestSupport.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.decision.Decision;
import io.stellaops.decision.DecisionInput;
import io.stellaops.decision.evidence.PromotionEvidence;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl stella against a real API server and, for verify/replay, against exported files only. */
@EnableKubeAPIServer
class EvidenceCliIT {
  static final String NS = "shop";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static Path kubeconfig;
  static Operator operator;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    kubeconfig = Files.createTempFile("stella-cli", ".kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    operator = PromotionTestSupport.startOperator(client);
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {upstream: {environments: [dev]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-9}
        spec:
          version: 9.0.0
          components:
            - {name: api, image: registry.example.com/shop/api, digest: sha256:%s}
        """
            .formatted("9".repeat(64)));
    CliRun promoted =
        stella(
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            NS,
            "promote",
            "shop-9",
            "--to",
            "prod",
            "--reason",
            "cli test");
    assertThat(promoted.exit()).as(promoted.err()).isZero();
    assertThat(promoted.out()).contains("promotion.stellaops.io/shop-9-to-prod-");
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  static String deniedPromotion() {
    String name =
        client
            .resources(io.stellaops.crds.promotion.Promotion.class)
            .inNamespace(NS)
            .list()
            .getItems()
            .stream()
            .map(p -> p.getMetadata().getName())
            .filter(n -> n.startsWith("shop-9-to-prod-"))
            .findFirst()
            .orElseThrow();
    awaitPhase(client, NS, name, Phase.Denied);
    return name;
  }

  @Test
  void statusShowsTheDenialAndWhereItsEvidenceIs() {
    String name = deniedPromotion();
    CliRun status = stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "status", name);
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .contains("Phase:       Denied\nWhy:         Denied: upstream: not yet succeeded in dev")
        .contains("upstream: not yet succeeded in dev")
        .contains("kubectl stella evidence verify " + name);
  }

  @Test
  void listsAndWatchesPromotionsSayingWhy() {
    String name = deniedPromotion();
    CliRun list =
        stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "list", "promotions", "-o", "wide");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("NAME +RELEASE +ENVIRONMENT +PHASE +AGE +WHY");
    assertThat(list.out())
        .containsPattern(
            name
                + " +shop-9 +prod +Denied +\\d+[smhd] +Denied: upstream: not yet succeeded in dev");
    CliRun yaml =
        stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "list", "releases", "-o", "yaml");
    assertThat(yaml.out())
        .as("exit %d, err %s", yaml.exit(), yaml.err())
        .containsPattern("kind: \"?List\"?")
        .containsPattern("name: \"?shop-9\"?");
    CliRun releases = stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "list", "releases");
    assertThat(releases.out()).containsPattern("shop-9 +9\\.0\\.0 +\\S+ +\\d+[smhd]");

    // a finished promotion: its history, then the exit code of how it ended
    CliRun watch = stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "watch", name);
    assertThat(watch.exit()).isEqualTo(3);
    assertThat(watch.out()).contains("Pending").contains("Denied ");
  }

  @Test
  void errorsAreSaidAsKubectlSaysThemWithExitCodes() {
    CliRun missing = stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "status", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "Error from server (NotFound): promotions.stellaops.io \"nope\" not found in namespace "
                + NS
                + "\n");
    CliRun forbidden =
        stella(
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            NS,
            "--as",
            "mallory",
            "promote",
            "shop-9",
            "--to",
            "prod",
            "--break-glass",
            "securityfix",
            "--justification",
            "test");
    assertThat(forbidden.exit()).isEqualTo(3);
    assertThat(forbidden.err())
        .startsWith("Error from server (Forbidden): promotions.stellaops.io is forbidden: User")
        .contains("mallory");
  }

  @Test
  void verifiesInTheClusterAndOfflineAfterExport() throws Exception {
    String name = deniedPromotion();
    CliRun inCluster =
        stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "evidence", "verify", name);
    assertThat(inCluster.exit()).as(inCluster.err()).isZero();
    assertThat(inCluster.out())
        .contains("Verified OK: promotion " + name + " (shop-9 -> prod), decision deny");

    CliRun export =
        stella(
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            NS,
            "evidence",
            "export",
            name,
            "--out",
            dir.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(dir)
        .isDirectoryContaining("glob:**/packet.json")
        .isDirectoryContaining("glob:**/cosign.pub");

    // Offline: no kubeconfig, nothing but the exported files.
    CliRun offline = stella("evidence", "verify", "--dir", dir.toString());
    assertThat(offline.exit()).as(offline.err()).isZero();
    CliRun replay = stella("evidence", "replay", "--dir", dir.toString());
    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("Replay identical");
  }

  @Test
  void tamperedEvidenceFailsVerify() throws Exception {
    String name = deniedPromotion();
    stella(
        "--kubeconfig",
        kubeconfig.toString(),
        "-n",
        NS,
        "evidence",
        "export",
        name,
        "--out",
        dir.toString());
    Path packet = dir.resolve("packet.json");
    ObjectNode json = (ObjectNode) CanonicalJson.MAPPER.readTree(packet.toFile());

    json.put("decision", "allow");
    Files.writeString(packet, json.toString());
    CliRun relabelled = stella("evidence", "verify", "--dir", dir.toString());
    assertThat(relabelled.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(relabelled.err())
        .contains("decision: the packet says allow but the signed Statement says deny");

    json.put("decision", "deny");
    ObjectNode envelope = (ObjectNode) json.get("envelope");
    String payload = envelope.get("payload").asText();
    envelope.put(
        "payload",
        payload.substring(0, 20) + (payload.charAt(20) == 'A' ? 'B' : 'A') + payload.substring(21));
    Files.writeString(packet, json.toString());
    CliRun forged = stella("evidence", "verify", "--dir", dir.toString());
    assertThat(forged.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(forged.err()).contains("signature: no signature verifies with the given key");
  }

  @Test
  void replayCatchesASignedDecisionThatDoesNotFollowFromItsInputs() throws Exception {
    String name = deniedPromotion();
    stella(
        "--kubeconfig",
        kubeconfig.toString(),
        "-n",
        NS,
        "evidence",
        "export",
        name,
        "--out",
        dir.toString());
    var statement = CanonicalJson.MAPPER.readTree(dir.resolve("statement.json").toFile());
    var inputs =
        CanonicalJson.MAPPER.treeToValue(statement.at("/predicate/inputs"), DecisionInput.class);
    var recorded =
        CanonicalJson.MAPPER.treeToValue(statement.at("/predicate/decision"), Decision.class);
    var flipped =
        new Decision(
            Decision.ALLOW,
            List.of(),
            recorded.gates(),
            recorded.approvals(),
            recorded.freeze(),
            recorded.inputsHash());
    // Signed with the operator's own key: only replay can tell that allow does not follow.
    var key = EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM);
    var packet =
        PromotionEvidence.build(
            new PromotionEvidence.Predicate(NS, name, inputs, flipped, null, null, "Deploying"),
            "default",
            key.privateKey(),
            key.keyId());
    Files.writeString(
        dir.resolve("packet.json"), CanonicalJson.MAPPER.writeValueAsString(packet.getSpec()));

    CliRun verify = stella("evidence", "verify", "--dir", dir.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    CliRun replay = stella("evidence", "replay", "--dir", dir.toString());
    assertThat(replay.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(replay.err()).contains("Replay DIFFERS").contains("\"result\":\"deny\"");
  }

  @Test
  void rollbackPromotesThePreviousReleaseAgain() {
    for (String release : List.of("shop-r1", "shop-r2")) {
      apply(
          client,
          NS,
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: %s}
          spec:
            version: 1.0.0
            components: [{name: api, image: registry.example.com/shop/api, digest: sha256:%s}]
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Promotion
          metadata: {name: %s-to-dev}
          spec: {release: %s, environment: dev}
          """
              .formatted(
                  release,
                  release.endsWith("1") ? "a".repeat(64) : "b".repeat(64),
                  release,
                  release));
      PromotionTestSupport.awaitPhase(client, NS, release + "-to-dev", Phase.Deploying);
      PromotionTestSupport.completeJobs(client, NS, release + "-to-dev");
      PromotionTestSupport.awaitPhase(client, NS, release + "-to-dev", Phase.Succeeded);
    }
    CliRun rollback = stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "rollback", "dev");
    assertThat(rollback.exit()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("rollback of dev to shop-r1");
    String name =
        rollback
            .out()
            .substring("promotion.stellaops.io/".length(), rollback.out().indexOf(" created"));
    var promotion = PromotionTestSupport.awaitPhase(client, NS, name, Phase.Deploying);
    assertThat(promotion.getSpec().release()).isEqualTo("shop-r1");
    assertThat(promotion.getSpec().reason()).isEqualTo("rollback from shop-r2 to shop-r1");
  }
}
