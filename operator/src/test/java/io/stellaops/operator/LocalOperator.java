package io.stellaops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole operator process in a test: admission on a free loopback port registered as {@code
 * https://127.0.0.1:<port>}, health on another. It owns {@code client} and closes it.
 */
public final class LocalOperator implements AutoCloseable {
  private final StellaOperator operator;
  private final int healthPort;
  final int webhookPort;

  private LocalOperator(StellaOperator operator, int healthPort, int webhookPort) {
    this.operator = operator;
    this.healthPort = healthPort;
    this.webhookPort = webhookPort;
  }

  /** Starts it with its state in {@code namespace}; {@code env} adds or overrides settings. */
  public static LocalOperator start(
      KubernetesClient client, String namespace, Map<String, String> env) throws Exception {
    Map<String, String> settings = loopback(namespace);
    settings.putAll(env);
    var operator = new StellaOperator(OperatorSettings.fromEnvironment(settings), client);
    operator.start();
    return new LocalOperator(
        operator,
        Integer.parseInt(settings.get("STELLA_HEALTH_PORT")),
        Integer.parseInt(settings.get("STELLA_WEBHOOK_PORT")));
  }

  /**
   * Settings of an operator on this machine: its state in {@code namespace}, admission on a free
   * loopback port registered as {@code https://127.0.0.1:<port>}, health on another.
   */
  static Map<String, String> loopback(String namespace) throws Exception {
    int webhookPort = freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("STELLA_NAMESPACE", namespace);
    settings.put("STELLA_WEBHOOK_PORT", String.valueOf(webhookPort));
    settings.put("STELLA_WEBHOOK_URL", "https://127.0.0.1:" + webhookPort);
    settings.put("STELLA_HEALTH_PORT", String.valueOf(freePort()));
    return settings;
  }

  /** GET on the health port: {@code /health/readiness}, {@code /version}, {@code /metrics}. */
  public HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    operator.close();
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
