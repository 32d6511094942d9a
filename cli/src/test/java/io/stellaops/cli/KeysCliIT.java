package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static io.stellaops.controllers.PromotionTestSupport.apply;
import static io.stellaops.controllers.PromotionTestSupport.awaitPhase;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.promotion.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence keys rotate and revoke through {@code kubectl stella keys}, with the operator signing
 * on: what a retired key signed still verifies, what a revoked key signed no longer does.
 */
@EnableKubeAPIServer
class KeysCliIT {
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
        kind: Environment
        metadata: {name: prod}
        spec: {upstream: {environments: [dev]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-1}
        spec:
          version: 1.0.0
          components:
            - {name: api, image: registry.example.com/shop/api, digest: sha256:%s}
        """
            .formatted("1".repeat(64)));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  static CliRun kubectlStella(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--kubeconfig";
    all[1] = kubeconfig.toString();
    all[2] = "-n";
    all[3] = NS;
    System.arraycopy(args, 0, all, 4, args.length);
    return stella(all);
  }

  /** A denied promotion: its evidence is signed all the same. */
  static String signedPacket(String name) {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: shop-1, environment: prod}
        """
            .formatted(name));
    awaitPhase(client, NS, name, Phase.Denied);
    return PromotionTestSupport.signerOf(client, NS, name);
  }

  @Test
  void aRetiredKeyStillVerifiesWhatItSignedAndARevokedOneNothing() {
    String first = signedPacket("before-rotation");
    String firstShort = first.substring(0, 16);
    CliRun list = kubectlStella("keys", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains(firstShort + " active   active since ");

    CliRun activeRevoked = kubectlStella("keys", "revoke", firstShort, "--reason", "test");
    assertThat(activeRevoked.exit()).isEqualTo(2);
    assertThat(activeRevoked.err())
        .contains("key " + first + " is the active signing key: rotate first, then revoke it");

    CliRun rotate = kubectlStella("keys", "rotate");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.out()).contains("key " + firstShort + " is retired");
    String second = signedPacket("after-rotation");
    assertThat(second).isNotEqualTo(first);
    assertThat(rotate.out()).startsWith("Key " + second.substring(0, 16) + " is the active");

    CliRun old = kubectlStella("evidence", "verify", "before-rotation");
    assertThat(old.exit()).as(old.err()).isZero();
    assertThat(old.out())
        .contains("Verified OK: promotion before-rotation")
        .contains("signed by key " + first + " (retired key, active ");
    CliRun fresh = kubectlStella("evidence", "verify", "after-rotation");
    assertThat(fresh.exit()).as(fresh.err()).isZero();
    assertThat(fresh.out()).contains("signed by key " + second);

    CliRun exported =
        kubectlStella("evidence", "export", "before-rotation", "--out", dir.toString());
    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(stella("evidence", "verify", "--dir", dir.toString()).out())
        .contains("signed by key " + first + " (retired key, active ");

    CliRun revoke = kubectlStella("keys", "revoke", firstShort, "--reason", "key file leaked");
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    CliRun refused = kubectlStella("evidence", "verify", "before-rotation");
    assertThat(refused.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(refused.err())
        .contains("Verification FAILED:")
        .contains("key: signed by key " + first + ", active ")
        .contains(", revoked ")
        .contains(": key file leaked");
    assertThat(kubectlStella("evidence", "verify", "after-rotation").exit()).isZero();
    // an export made after the revocation carries it: offline verification refuses too
    assertThat(
            kubectlStella("evidence", "export", "before-rotation", "--out", dir.toString()).exit())
        .isZero();
    CliRun offline = stella("evidence", "verify", "--dir", dir.toString());
    assertThat(offline.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(offline.err()).contains(": key file leaked");
    assertThat(kubectlStella("keys", "list").out())
        .contains(firstShort + " revoked  active ")
        .contains(second.substring(0, 16) + " active   active since ");
  }
}
