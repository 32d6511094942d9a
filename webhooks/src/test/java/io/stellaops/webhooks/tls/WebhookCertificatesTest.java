package io.stellaops.webhooks.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookCertificatesTest {
  /** What one replica writes to the shared Secret, another reads and serves with. */
  @Test
  void readsBackWhatItWrites() {
    var written =
        WebhookCertificates.generate(
            List.of("stella-operator.stella-system.svc"), List.of(), Duration.ofDays(365));
    var pem = written.toPem();
    var read =
        WebhookCertificates.fromPem(pem.get("ca.crt"), pem.get("tls.crt"), pem.get("tls.key"));
    assertThat(read.toPem()).isEqualTo(pem);
    assertThat(read.serves(List.of("stella-operator.stella-system.svc"), List.of(), Instant.now()))
        .isTrue();
  }
}
