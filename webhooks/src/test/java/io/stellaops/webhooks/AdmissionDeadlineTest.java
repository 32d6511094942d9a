package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.supplychain.cosign.CosignSignatureVerifier;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The admission deadline stops the work behind a denial: a check that reads a slow registry image
 * after image is denied when the deadline passes, and the registry hears nothing after that.
 */
class AdmissionDeadlineTest {
  @Test
  void aDenialForWantOfTimeStopsTheChecksBehindIt() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer registry =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    registry.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    registry.createContext(
        "/v2/",
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            Thread.sleep(300);
            exchange.sendResponseHeaders(404, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    registry.start();
    String host = "127.0.0.1:" + registry.getAddress().getPort();
    var verifier = new CosignSignatureVerifier(new RegistryClient(Duration.ofSeconds(5)));
    Signer signer = Signer.key(PemKeys.generateP256().getPublic());
    AdmissionRequestHandler slowChecks =
        request -> {
          for (int i = 0; i < 50; i++) {
            String digest = Sha256.digest(("image " + i).getBytes(StandardCharsets.UTF_8));
            verifier.verify(host + "/app" + i, digest, signer, Optional.empty());
          }
          return AdmissionUtils.allowedAdmissionResponse();
        };
    var certificates =
        WebhookCertificates.generate(
            List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    var serialization = new KubernetesSerialization();
    try (var server =
        new AdmissionServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            certificates,
            Map.of("/check", slowChecks),
            Duration.ofSeconds(1),
            serialization)) {
      server.start();
      String answer = post(certificates, server.port(), review());
      assertThat(answer)
          .contains("\"allowed\":false")
          .contains("could not finish checking CREATE Release demo/slow within 1s");
      int atDenial = requests.get();
      Thread.sleep(1_500);
      assertThat(requests.get())
          .as("registry requests after the denial (at most the one under way)")
          .isLessThanOrEqualTo(atDenial + 1);
      assertThat(atDenial).isLessThan(3 * 50);
    } finally {
      registry.stop(0);
    }
  }

  private static String review() {
    return """
    {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
     "request": {"uid": "1", "operation": "CREATE", "namespace": "demo", "name": "slow",
                 "kind": {"group": "stellaops.io", "version": "v1alpha1", "kind": "Release"},
                 "resource": {"group": "stellaops.io", "version": "v1alpha1", "resource": "releases"},
                 "userInfo": {"username": "ci"}, "object": {}}}
    """;
  }

  private static String post(WebhookCertificates certificates, int port, String body)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", certificates.ca());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
