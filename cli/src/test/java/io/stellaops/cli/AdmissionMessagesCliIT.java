package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.webhooks.AdmissionServer;
import io.stellaops.webhooks.WebhookConfigurations;
import io.stellaops.webhooks.promotion.PromotionAdmission;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What admission says reaches the user of {@code kubectl stella} as kubectl shows it: warnings as
 * {@code Warning: …} on stderr, refusals as {@code Error from server (Invalid): …} with exit 3.
 */
@EnableKubeAPIServer
class AdmissionMessagesCliIT {
  static final String NS = "shop";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static Path kubeconfig;
  static AdmissionServer server;

  @BeforeAll
  static void setUp() throws Exception {
    kubeconfig = Files.createTempFile("stella-cli", ".kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        """);
    var certificates =
        WebhookCertificates.generate(
            List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    server =
        new AdmissionServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            certificates,
            Map.of(PromotionAdmission.PATH, new PromotionAdmission(client)),
            Duration.ofSeconds(8),
            client.getKubernetesSerialization());
    server.start();
    var mutating =
        WebhookConfigurations.mutating("https://127.0.0.1:" + server.port(), certificates.caPem());
    mutating.getWebhooks().removeIf(w -> !w.getName().startsWith("promotions."));
    client.resource(mutating).serverSideApply();
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  @Test
  void admissionWarningsAreShownAsKubectlShowsThem() {
    CliRun run =
        stella("--kubeconfig", kubeconfig.toString(), "-n", NS, "promote", "shop-9", "--to", "dev");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("promotion.stellaops.io/shop-9-to-dev-").contains(" created");
    assertThat(run.err())
        .isEqualTo(
            "Warning: Release shop-9 does not exist in namespace shop; the promotion waits,"
                + " Stalled, until it does"
                + System.lineSeparator());
  }

  @Test
  void admissionRefusalsExitWithThree() {
    CliRun run =
        stella(
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            NS,
            "promote",
            "shop-9",
            "--to",
            "dev",
            "--break-glass",
            "rollback",
            "--justification",
            "the outage needs this now");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err())
        .startsWith("Error from server")
        .contains("spec.breakGlass.type: Environment dev allows no break-glass");
  }

  @Test
  void warningTextIsUnquoted() {
    assertThat(ServerWarnings.text("299 - \"Release \\\"a\\\" does not exist\""))
        .isEqualTo("Release \"a\" does not exist");
    assertThat(ServerWarnings.text("not a warning value")).isEqualTo("not a warning value");
  }
}
