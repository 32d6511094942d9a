package io.stellaops.controllers.advisoryfeed;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.supplychain.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An AdvisoryFeed's life on a real API server: loaded from a directory and from a ConfigMap, a
 * broken record or missing source reported with the file and reason while the previous snapshot
 * keeps serving, and recovery.
 */
@EnableKubeAPIServer
class AdvisoryFeedIT {
  static KubernetesClient client;
  static Operator operator;
  static final Path GO = TestData.path("osv", "golang-vulndb", "GO-2021-0052.json");

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, "feeds");
    operator = PromotionTestSupport.startOperator(client);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  static AdvisoryFeed feed(String name) {
    return client.resources(AdvisoryFeed.class).withName(name).get();
  }

  static Condition condition(String name, String type) {
    AdvisoryFeed f = feed(name);
    return f == null || f.getStatus() == null
        ? null
        : Conditions.find(f.getStatus(), type).orElse(null);
  }

  static boolean is(String name, String type, Condition.Status status) {
    Condition c = condition(name, type);
    return c != null && c.status() == status;
  }

  @Test
  void aBrokenRecordIsReportedByFileWhileThePreviousSnapshotServes() throws Exception {
    Path dir = Files.createTempDirectory("feed");
    Files.copy(GO, dir.resolve("GO-2021-0052.json"));
    apply(
        client,
        "feeds", // AdvisoryFeeds are cluster-scoped; the namespace is ignored
        """
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: local}
        spec: {source: {path: %s}, refreshInterval: 1s}
        """
            .formatted(dir.toAbsolutePath()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> is("local", ConditionTypes.READY, Condition.Status.TRUE));
    String first = feed("local").getStatus().getSnapshotDigest();
    assertThat(feed("local").getStatus().getAdvisories()).isEqualTo(1);
    assertThat(feed("local").getStatus().getEcosystems()).containsEntry("Go", 1);
    assertThat(condition("local", ConditionTypes.READY).message()).contains("1 advisories (Go 1)");

    Files.writeString(
        dir.resolve("GO-2099-0001.json"), "{\"id\": \"GO-2099-0001\", \"affected\": [");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> is("local", ConditionTypes.STALLED, Condition.Status.TRUE));
    assertThat(condition("local", ConditionTypes.STALLED).message())
        .startsWith("GO-2099-0001.json: not an OSV record")
        .contains("still serving " + first);
    assertThat(condition("local", ConditionTypes.READY).status()).isEqualTo(Condition.Status.FALSE);
    assertThat(feed("local").getStatus().getSnapshotDigest()).isEqualTo(first);

    Files.delete(dir.resolve("GO-2099-0001.json"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> is("local", ConditionTypes.READY, Condition.Status.TRUE));
    assertThat(is("local", ConditionTypes.STALLED, Condition.Status.TRUE)).isFalse();
  }

  @Test
  void aSmallFeedInAConfigMapAndAMissingOne() throws Exception {
    apply(
        client,
        "feeds", // AdvisoryFeeds are cluster-scoped; the namespace is ignored
        """
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: from-configmap}
        spec:
          source: {configMap: {namespace: feeds, name: osv, key: records.json}}
          refreshInterval: 1h
        """);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> is("from-configmap", ConditionTypes.STALLED, Condition.Status.TRUE));
    assertThat(condition("from-configmap", ConditionTypes.STALLED).message())
        .isEqualTo(
            "ConfigMap feeds/osv key records.json: the ConfigMap does not exist; no snapshot is"
                + " loaded, so vulnerability gates cannot pass");

    client
        .configMaps()
        .inNamespace("feeds")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("osv")
                // labelled with its feed: a change reloads it now, not at the next refresh (1h)
                .addToLabels(AdvisoryFeedReconciler.FEED_LABEL, "from-configmap")
                .endMetadata()
                .addToData("records.json", "[" + Files.readString(GO) + "]")
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> is("from-configmap", ConditionTypes.READY, Condition.Status.TRUE));
    assertThat(feed("from-configmap").getStatus().getAdvisories()).isEqualTo(1);

    Path second = TestData.path("osv", "golang-vulndb", "GO-2022-0229.json");
    client
        .configMaps()
        .inNamespace("feeds")
        .withName("osv")
        .edit(cm -> {
          cm.getData().put("records.json", "[" + read(GO) + "," + read(second) + "]");
          return cm;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> feed("from-configmap").getStatus().getAdvisories() == 2);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
