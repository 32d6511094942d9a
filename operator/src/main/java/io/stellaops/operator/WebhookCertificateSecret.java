package io.stellaops.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook certificates every replica shares through one {@code kubernetes.io/tls} Secret. The
 * operator creates it, and replaces it when it expires within 30 days or no longer names the
 * Service; when an external issuer (cert-manager) owns it, the operator only reads it. Replicas
 * racing to create or renew it settle on whichever write won.
 */
final class WebhookCertificateSecret {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificateSecret.class);
  static final Duration VALIDITY = Duration.ofDays(365);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private WebhookCertificateSecret() {}

  static WebhookCertificates loadOrCreate(
      KubernetesClient client,
      String namespace,
      String name,
      boolean external,
      List<String> dns,
      List<String> ips,
      Clock clock) {
    var resource = client.secrets().inNamespace(namespace).withName(name);
    Secret secret = resource.get();
    WebhookCertificates current = secret == null ? null : read(secret);
    if (external) {
      if (current == null) {
        throw new IllegalStateException(
            "Secret "
                + namespace
                + "/"
                + name
                + " (STELLA_WEBHOOK_CERT_EXTERNAL) must hold ca.crt, tls.crt and tls.key;"
                + " with cert-manager, issue it from a CA Issuer so ca.crt is set");
      }
      return current;
    }
    if (current != null && current.serves(dns, ips, clock.instant().plus(RENEW_BEFORE))) {
      return current;
    }
    WebhookCertificates fresh = WebhookCertificates.generate(dns, ips, VALIDITY);
    Secret desired =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/part-of", "stella-operator")
            .withResourceVersion(secret == null ? null : secret.getMetadata().getResourceVersion())
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withStringData(fresh.toPem())
            .build();
    try {
      if (secret == null) {
        client.secrets().inNamespace(namespace).resource(desired).create();
      } else {
        client.secrets().inNamespace(namespace).resource(desired).update();
      }
      LOG.info("wrote webhook certificates to Secret {}/{}", namespace, name);
      return fresh;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // another replica wrote it first: use theirs
      WebhookCertificates theirs = read(resource.get());
      if (theirs == null) {
        throw e;
      }
      return theirs;
    }
  }

  private static WebhookCertificates read(Secret secret) {
    Map<String, String> data = secret.getData();
    if (data == null
        || !data.containsKey("ca.crt")
        || !data.containsKey("tls.crt")
        || !data.containsKey("tls.key")) {
      return null;
    }
    try {
      return WebhookCertificates.fromPem(
          decode(data.get("ca.crt")), decode(data.get("tls.crt")), decode(data.get("tls.key")));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "Secret {}/{} holds no usable certificates ({}); replacing it",
          secret.getMetadata().getNamespace(),
          secret.getMetadata().getName(),
          e.getMessage());
      return null;
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
