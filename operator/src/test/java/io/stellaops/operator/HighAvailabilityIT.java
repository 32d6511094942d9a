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
  static final List<LocalOperator> replicas = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, "shop", SYSTEM);
    KubeApiServerSupport.installCrd(client, "agents");
    for (int i = 0; i < 2; i++) {
      replicas.add(
          LocalOperator.start(
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                  .build(),
              SYSTEM,
              Map.of("STELLA_WEBHOOK_CERT_SECRET", SECRET, "STELLA_LEADER_ELECTION", "true")));
    }
  }

  @AfterAll
  static void stop() {
    replicas.forEach(LocalOperator::close);
  }

  @Test
  void bothReplicasServeOneCertificateAndOneLeads() throws Exception {
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
    for (LocalOperator replica : replicas) {
      assertThat(servedBy(replica.webhookPort, caBundle))
          .as("replica on :%d serves a certificate of the registered CA", replica.webhookPort)
          .isTrue();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> {
          for (LocalOperator replica : replicas) {
            assertThat(replica.get("/health/readiness").statusCode()).isEqualTo(200);
          }
          Lease lease = client.leases().inNamespace(SYSTEM).withName("stella-operator").get();
          assertThat(lease).isNotNull();
          assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
  }

  /** Whether a TLS handshake with the server on {@code port} succeeds trusting only {@code ca}. */
  static boolean servedBy(int port, String caBase64) throws Exception {
    var ca =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(caBase64)));
    var trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    var factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    var tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    try (var socket =
        (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return true;
    } catch (javax.net.ssl.SSLHandshakeException e) {
      return false;
    }
  }
}
