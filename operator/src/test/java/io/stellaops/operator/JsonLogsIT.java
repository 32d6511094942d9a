package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator process with {@code STELLA_LOG_FORMAT=json}: every line it logs is one JSON object,
 * and a line logged while reconciling names the resource (JOSDK's MDC keys).
 */
@EnableKubeAPIServer
class JsonLogsIT {
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyLineIsJsonAndReconcileLinesNameTheirResource() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, "shop");
    KubeApiServerSupport.installCrd(client, "agents");
    Path work = Files.createTempDirectory("stella-json-logs");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    try (var operator =
        OperatorProcess.start(work, kubeconfig, Map.of("STELLA_LOG_FORMAT", "json"))) {
      operator.awaitReady();
      PromotionTestSupport.apply(
          client,
          "shop",
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: api-1}
          spec:
            version: 1.0.0
            components:
              - {name: api, image: registry.example.com/shop/api, digest: "sha256:%s"}
          """
              .formatted("a".repeat(64)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> entries(operator.log).stream().anyMatch(JsonLogsIT::isReleaseVerdict));
      JsonNode verdict =
          entries(operator.log).stream().filter(JsonLogsIT::isReleaseVerdict).findFirst().get();
      assertThat(verdict.path("level").asText()).isEqualTo("INFO");
      assertThat(verdict.path("mdc").path("resource.namespace").asText()).isEqualTo("shop");
      assertThat(verdict.path("formattedMessage").asText())
          .contains("Release shop/api-1: Verified - -> False (SignatureNotVerified)")
          .contains("no TrustPolicy covers registry.example.com/shop/api");

      // what a person must fix is a warning, once, for every kind
      PromotionTestSupport.apply(
          client,
          "shop",
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Environment
          metadata: {name: prod}
          spec: {upstream: {environments: [stage]}}
          """);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stalledWarnings(operator.log, "Environment", "prod").size() == 1);
      JsonNode environment = stalledWarnings(operator.log, "Environment", "prod").getFirst();
      assertThat(environment.path("formattedMessage").asText())
          .startsWith("Environment shop/prod stalled (UpstreamMissing): ")
          .contains("stage");
      assertThat(stalledWarnings(operator.log, "Release", "api-1"))
          .singleElement()
          .satisfies(w ->
              assertThat(w.path("formattedMessage").asText())
                  .startsWith("Release shop/api-1 stalled (SignatureNotVerified): "));
    }
  }

  static List<JsonNode> stalledWarnings(Path log, String kind, String name) throws IOException {
    return entries(log).stream()
        .filter(e -> e.path("level").asText().equals("WARN"))
        .filter(e -> e.path("mdc").path("resource.kind").asText().equals(kind))
        .filter(e -> e.path("mdc").path("resource.name").asText().equals(name))
        .filter(e -> e.path("formattedMessage").asText().contains(" stalled ("))
        .toList();
  }

  static boolean isReleaseVerdict(JsonNode entry) {
    return entry.path("mdc").path("resource.kind").asText().equals("Release")
        && entry.path("mdc").path("resource.name").asText().equals("api-1")
        && entry.path("formattedMessage").asText().contains("Verified");
  }

  /**
   * Every line the process wrote, each read as JSON (a line that is not fails the test); the JVM's
   * own warnings on stderr, which no logger writes, are left out.
   */
  static List<JsonNode> entries(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("WARNING: "))
        .map(line -> {
          try {
            return JSON.readTree(line);
          } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
          }
        })
        .toList();
  }
}
