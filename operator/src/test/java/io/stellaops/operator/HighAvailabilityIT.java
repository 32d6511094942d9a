package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas as the chart's HA option runs them: one webhook certificate Secret both serve from,
 * controllers on the leader only, and both ready to answer admission.
 */
@EnableKubeAPIServer
class HighAvailabilityIT {
  static final String SYSTEM = "stella-ha";
  static final String SECRET = "stella-operator-webhook-tls";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static final List<StellaOperator> replicas = new ArrayList<>();
  static final List<Integer> healthPorts = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, "shop", SYSTEM);
    KubeApiServerSupport.installCrd(client, "agents");
    for (int i = 0; i < 2; i++) {
      int webhookPort = freePort();
      int healthPort = freePort();
      healthPorts.add(healthPort);
      var settings =
          OperatorSettings.fromEnvironment(
              Map.of(
                  "STELLA_NAMESPACE",
                  SYSTEM,
                  "STELLA_WEBHOOK_PORT",
                  String.valueOf(webhookPort),
                  "STELLA_WEBHOOK_URL",
                  "https://127.0.0.1:" + webhookPort,
                  "STELLA_HEALTH_PORT",
                  String.valueOf(healthPort),
                  "STELLA_WEBHOOK_CERT_SECRET",
                  SECRET,
                  "STELLA_LEADER_ELECTION",
                  "true"));
      var replica =
          new StellaOperator(
              settings,
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                  .build());
      replica.start();
      replicas.add(replica);
    }
  }

  @AfterAll
  static void stop() {
    replicas.forEach(StellaOperator::close);
  }

  static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void bothReplicasServeOneCertificateAndOneLeads() {
    Secret secret = client.secrets().inNamespace(SYSTEM).withName(SECRET).get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsKeys("ca.crt", "tls.crt", "tls.key");
    String caBundle =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName("stella-operator")
            .get()
            .getWebhooks()
            .getFirst()
            .getClientConfig()
            .getCaBundle();
    assertThat(caBundle)
        .as("the registered CA is the Secret's, whichever replica registered last")
        .isEqualTo(secret.getData().get("ca.crt"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> {
          for (int port : healthPorts) {
            assertThat(get(port, "/health/readiness").statusCode())
                .as("replica on :" + port)
                .isEqualTo(200);
          }
          Lease lease = client.leases().inNamespace(SYSTEM).withName("stella-operator").get();
          assertThat(lease).isNotNull();
          assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
