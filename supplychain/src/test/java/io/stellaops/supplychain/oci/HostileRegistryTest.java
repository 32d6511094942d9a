package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stellaops.supplychain.cosign.CosignSignatureVerifier;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.time.Deadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that means harm: endless or huge answers, thousands of layers, endless referrer pages,
 * answers that never come. Served by the JDK's HTTP server, since no real registry can be made to
 * misbehave this way; every answer is refused with a message, after reading no more than the limit,
 * and no request starts after a deadline.
 */
class HostileRegistryTest {
  static final String DIGEST = Sha256.digest("image".getBytes(StandardCharsets.UTF_8));
  HttpServer server;
  String host;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicLong written = new AtomicLong();

  interface Answer {
    void answer(HttpExchange exchange) throws Exception;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    host = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  void serve(Answer answer) {
    server.createContext(
        "/v2/",
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            answer.answer(exchange);
          } catch (Exception e) {
            // the client hung up: what a hostile registry wants to see least
          }
        });
  }

  /** Writes {@code chunk} until the client stops reading or {@code total} bytes are out. */
  void flood(HttpExchange exchange, long declared, long total) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    exchange.sendResponseHeaders(200, declared);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    try (OutputStream out = exchange.getResponseBody()) {
      for (long sent = 0; sent < total; sent += chunk.length) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    }
  }

  RegistryClient client() {
    return new RegistryClient(Duration.ofSeconds(10));
  }

  @Test
  void aManifestDeclaredHugeIsRefusedUnread() {
    serve(exchange -> flood(exchange, 400_000_000L, 400_000_000L));
    assertThatThrownBy(() -> client().manifest(host + "/app", "1.0", Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(
            "the registry's answer declares 400000000 bytes, more than the 4194304 read");
    assertThat(written.get()).isLessThan(64L << 20);
  }

  @Test
  void anEndlessManifestIsCutOffAtTheLimit() {
    serve(exchange -> flood(exchange, 0, 400_000_000L)); // chunked, no length
    assertThatThrownBy(() -> client().manifest(host + "/app", "1.0", Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is larger than the 4194304 bytes read (cut off)");
    assertThat(written.get()).isLessThan(64L << 20);
  }

  @Test
  void aSignatureManifestOfThousandsOfLayersIsRefusedWithoutFetchingThem() {
    StringBuilder layers = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      layers
          .append(i == 0 ? "" : ",")
          .append("{\"mediaType\": \"x\", \"size\": 1, \"digest\": \"")
          .append(Sha256.digest(String.valueOf(i).getBytes(StandardCharsets.UTF_8)))
          .append("\", \"annotations\": {\"dev.cosignproject.cosign/signature\": \"AAAA\"}}");
    }
    byte[] manifest =
        ("{\"schemaVersion\": 2, \"layers\": [" + layers + "]}").getBytes(StandardCharsets.UTF_8);
    serve(exchange -> {
      if (!exchange.getRequestURI().getPath().contains("/manifests/")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.sendResponseHeaders(200, manifest.length);
      exchange.getResponseBody().write(manifest);
    });
    var verdict =
        new CosignSignatureVerifier(client())
            .verify(
                host + "/app",
                DIGEST,
                Signer.key(PemKeys.generateP256().getPublic()),
                Optional.empty());
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.reason())
        .contains("the signature manifest lists 5000 layers, more than the 1000 cosign reads");
    assertThat(requests.get())
        .as("the .sig manifest, the referrers API and its fallback tag")
        .isEqualTo(3);
  }

  @Test
  void endlessReferrerPagesStopAtTheLimit() {
    serve(exchange -> {
      byte[] page = "{\"manifests\": []}".getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set(
              "Link",
              "</v2/app/referrers/" + DIGEST + "?page=" + requests.get() + ">; rel=\"next\"");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
    });
    assertThatThrownBy(() -> client().referrers(host + "/app", DIGEST, Optional.empty()))
        .hasMessageContaining("referrers of " + DIGEST + " fill more than 10 pages");
    assertThat(requests.get()).isEqualTo(10);
  }

  @Test
  void noRequestStartsOrWaitsPastTheDeadline() {
    serve(exchange -> {
      Thread.sleep(5_000);
      exchange.sendResponseHeaders(404, -1);
    });
    Deadline deadline = Deadline.in(Duration.ofMillis(300));
    RegistryClient client = client();
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> deadline.run(() -> client.manifest(host + "/app", "1.0", Optional.empty())))
        .isInstanceOf(Deadline.Exceeded.class)
        .hasMessageContaining("no time left for waiting for " + host);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    int before = requests.get();
    assertThatThrownBy(
            () -> deadline.run(() -> client.blob(host + "/app", DIGEST, Optional.empty())))
        .isInstanceOf(Deadline.Exceeded.class)
        .hasMessageContaining("no time left for reading http://" + host);
    assertThat(requests.get()).isEqualTo(before);
  }
}
