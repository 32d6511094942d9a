package io.stellaops.webhooks;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An admission server on a loopback port, registered with the test API server. */
final class LoopbackAdmission {
  private LoopbackAdmission() {}

  static AdmissionServer start(
      KubernetesClient client, Map<String, AdmissionRequestHandler> handlers) throws Exception {
    var certificates =
        WebhookCertificates.generate(
            List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    var server =
        new AdmissionServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            certificates,
            handlers,
            Duration.ofSeconds(8),
            client.getKubernetesSerialization());
    server.start();
    client
        .resource(
            WebhookConfigurations.mutating(
                "https://127.0.0.1:" + server.port(), certificates.caPem()))
        .serverSideApply();
    return server;
  }
}
