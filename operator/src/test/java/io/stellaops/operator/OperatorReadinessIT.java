package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Operator readiness waits, at start, until every AdvisoryFeed has been loaded (or has failed,
 * which its status says): until then promotions could not be gated, and a Service should not send
 * work to a process that cannot decide it. A feed created later does not take readiness away while
 * it loads. The feeds' snapshots are FIFOs, so their loads last until the test writes them.
 */
@EnableKubeAPIServer
class OperatorReadinessIT {
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  @Test
  void readyOnlyOnceTheFeedsPresentAtStartAreLoaded() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, "shop");
    KubeApiServerSupport.installCrd(client, "agents");
    Path slow = fifo("slow.json");
    Path later = fifo("later.json");
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: AdvisoryFeed
            metadata: {name: slow}
            spec: {source: {path: %s}}
            """
                .formatted(slow))
        .serverSideApply();
    try (var stella =
        LocalOperator.start(
            new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build(),
            "stella-readiness",
            Map.of())) {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> {
            var readiness = stella.get("/health/readiness");
            return readiness.statusCode() == 503
                && readiness.body().contains("\"advisoryFeeds\":\"loading slow\"");
          });

      write(slow, "[]");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stella.get("/health/readiness").statusCode() == 200);

      client
          .resource(
              """
              apiVersion: stellaops.io/v1alpha1
              kind: AdvisoryFeed
              metadata: {name: later}
              spec: {source: {path: %s}}
              """
                  .formatted(later))
          .serverSideApply();
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> stella.get("/health/readiness").statusCode() == 200);
      write(later, "[]");
    }
  }

  private static Path fifo(String name) throws Exception {
    Path path = Files.createTempDirectory("stella-feed").resolve(name);
    assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor())
        .isZero();
    return path;
  }

  /** Writes a FIFO once its reader opened it, without blocking the test. */
  private static void write(Path fifo, String content) {
    CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
