package io.stellaops.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** {@code /health/liveness}, {@code /health/readiness} and {@code /version} over plain HTTP. */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(int port, Supplier<Map<String, String>> readinessProblems) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/health/liveness", e -> respond(e, 200, Map.of("status", "UP")));
    server.createContext(
        "/health/readiness",
        e -> {
          Map<String, String> problems = readinessProblems.get();
          respond(
              e,
              problems.isEmpty() ? 200 : 503,
              problems.isEmpty()
                  ? Map.of("status", "UP")
                  : Map.of("status", "DOWN", "problems", problems));
        });
    server.createContext("/version", e -> respond(e, 200, version()));
    server.createContext("/metrics", HealthServer::metrics);
  }

  /** Prometheus text format of every metric this process registered (docs/metrics.md). */
  private static void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(body, PrometheusRegistry.defaultRegistry.scrape());
      exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.size());
      try (OutputStream out = exchange.getResponseBody()) {
        body.writeTo(out);
      }
    }
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static Map<String, String> version() {
    Properties p = new Properties();
    try (InputStream in = HealthServer.class.getResourceAsStream("/stella-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "version", p.getProperty("version", "unknown"),
        "gitCommit", known(p.getProperty("gitCommit")),
        "buildDate", known(p.getProperty("buildDate")));
  }

  private static String known(String value) {
    return value == null || value.startsWith("${") ? "unknown" : value;
  }

  private static void respond(HttpExchange exchange, int code, Object body) throws IOException {
    try (exchange) {
      byte[] bytes = CanonicalJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
