package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl stella ilm against a real API server with the lifecycle controller running, and evidence
 * verify on what it archived to a real registry: from the registry, and offline from the file.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IlmCliIT {
  static final String NS = ShopFixture.NS;
  static final String D1 = ShopFixture.D1;
  static final MovableClock clock = new MovableClock();
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static Path kubeconfig;
  static LocalRegistry registry;
  static Operator operator;

  @TempDir Path dir;

  static CliRun inCluster(String... args) {
    return ShopFixture.inShop(kubeconfig, args);
  }

  @BeforeAll
  static void setUp() throws Exception {
    kubeconfig = ShopFixture.kubeconfig(kubeConfigYaml);
    registry = LocalRegistry.start();
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: IlmClass
            metadata: {name: default}
            spec:
              retention: 1d
              default: true
              appliesTo: [EvidencePacket, DecisionRecord, Promotion, DeploymentJob]
              onExpiry: Archive
              archiveRepository: %s/archive/evidence
            """
                .formatted(registry.host()))
        .serverSideApply();
    ShopFixture.environmentsAndReleases(client);
    operator = PromotionTestSupport.startOperatorWithLifecycle(client, clock);
    ShopFixture.promoteR1ToDevAndR2ToStage(client);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          var running = packet("r1-to-dev");
          var denied = packet("r2-to-stage");
          return denied != null
              && denied.getMetadata().getAnnotations() != null
              && denied.getMetadata().getAnnotations().containsKey(IlmMetadata.EXPIRES_AT)
              && running.getMetadata().getAnnotations() != null
              && running.getMetadata().getAnnotations().containsKey(IlmMetadata.PINNED);
        });
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    registry.close();
  }

  static EvidencePacket packet(String name) {
    return client.resources(EvidencePacket.class).inNamespace(NS).withName(name).get();
  }

  /** Every purge log in the archive repository, by tag: its purge-log.jsonl. */
  static java.util.Map<String, String> purgeLogs() throws Exception {
    var registryClient = new RegistryClient(Duration.ofSeconds(5));
    var tags =
        CanonicalJson.MAPPER
            .readTree(
                java.net.http.HttpClient.newHttpClient()
                    .send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(
                                    "http://" + registry.host() + "/v2/archive/evidence/tags/list"))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("tags");
    java.util.Map<String, String> logs = new java.util.TreeMap<>();
    for (var tag : tags) {
      if (tag.asText().startsWith("purge-log.")) {
        byte[] layer =
            registryClient.firstLayer(
                registry.host() + "/archive/evidence:" + tag.asText(), Optional.empty());
        logs.put(
            tag.asText(),
            new String(
                Bundle.read(layer).files().get("purge-log.jsonl"),
                java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return logs;
  }

  @Test
  @Order(1)
  void whySaysTheClassExpiryAndPin() {
    CliRun running = inCluster("ilm", "why", "evidencepacket/r1-to-dev");
    assertThat(running.exit()).as(running.err()).isZero();
    assertThat(running.out())
        .contains("EvidencePacket shop/r1-to-dev")
        .contains("class:    default (retention 1d, default, Archive to oci://" + registry.host())
        .contains("pinned:   release r1 runs in dev")
        .contains("next:     kept while pinned, whatever its expiry");
    CliRun denied = inCluster("ilm", "why", "evidence/r2-to-stage");
    assertThat(denied.out()).contains("pinned:   no").contains("next:     archive at expiry");
    CliRun decision = inCluster("ilm", "why", "decision/r2-to-stage");
    assertThat(decision.out()).contains("DecisionRecord shop/r2-to-stage-decision");

    CliRun unknown = inCluster("ilm", "why", "pods/x");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown kind pods: one of evidencepacket");
    CliRun missing = inCluster("ilm", "why", "evidencepacket/nope");
    assertThat(missing.err()).contains("EvidencePacket nope not found in namespace shop");
  }

  @Test
  @Order(2)
  void previewListsWhatGoesNextAndWhatStays() {
    CliRun now = stella("--kubeconfig", kubeconfig.toString(), "ilm", "preview");
    assertThat(now.exit()).as(now.err()).isZero();
    assertThat(now.out())
        .contains("IlmClass default: retention 1d, default, Archive to oci://")
        .containsPattern("Archive +20\\S+ +EvidencePacket shop/r2-to-stage +in \\d+h");
    CliRun later =
        stella(
            "--kubeconfig",
            kubeconfig.toString(),
            "ilm",
            "preview",
            "--class",
            "default",
            "--at",
            Instant.now().plus(Duration.ofDays(2)).toString());
    assertThat(later.out())
        .containsPattern("Archive +next run +EvidencePacket shop/r2-to-stage +expired")
        .containsPattern(
            "Keep +- +EvidencePacket shop/r1-to-dev +expired \\S+, pinned: release r1 runs in dev");
    CliRun none = stella("--kubeconfig", kubeconfig.toString(), "ilm", "preview", "--class", "x");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("IlmClass x not found");
  }

  @Test
  @Order(3)
  void anArchivedPacketVerifiesFromTheRegistryAndOffline() throws Exception {
    clock.advance(Duration.ofDays(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> packet("r2-to-stage") == null);
    String archive = registry.host() + "/archive/evidence:shop.EvidencePacket.r2-to-stage";

    CliRun fromRegistry = stella("evidence", "verify", "--archive", "oci://" + archive);
    assertThat(fromRegistry.exit()).as(fromRegistry.err()).isZero();
    assertThat(fromRegistry.out())
        .contains("Archive intact: EvidencePacket shop/r2-to-stage (IlmClass default, expired)")
        .contains("Verified OK: promotion r2-to-stage (r2 -> stage), decision deny");

    // offline: the tar an auditor was handed, and the key they trust
    Path tar = dir.resolve("r2-to-stage.tar");
    Files.write(
        tar, new RegistryClient(Duration.ofSeconds(5)).firstLayer(archive, Optional.empty()));
    Path key = dir.resolve("cosign.pub");
    Files.writeString(
        key,
        client
            .configMaps()
            .inNamespace(PromotionTestSupport.SYSTEM)
            .withName(EvidenceSigningKey.CONFIG_MAP)
            .get()
            .getData()
            .get(EvidenceSigningKey.PUBLIC_KEY));
    CliRun offline =
        stella("evidence", "replay", "--archive", tar.toString(), "--key", key.toString());
    assertThat(offline.exit()).as(offline.err()).isZero();
    assertThat(offline.out()).contains("Replay identical");

    // one byte changed anywhere in the tar: the manifest no longer matches
    byte[] bytes = Files.readAllBytes(tar);
    int at =
        new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\"decision\"");
    bytes[at + 1] = 'D';
    Path damaged = dir.resolve("damaged.tar");
    Files.write(damaged, bytes);
    CliRun refused = stella("evidence", "verify", "--archive", damaged.toString());
    assertThat(refused.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(refused.err()).contains(damaged + " is not an intact archive");

    // its promotion went with it, inside the packet's archive: the purge log says so
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(purgeLogs().values().stream().flatMap(String::lines))
                .anySatisfy(l ->
                    assertThat(l)
                        .contains("\"kind\":\"Promotion\"")
                        .contains("\"name\":\"r2-to-stage\"")
                        .contains("with EvidencePacket shop/r2-to-stage")));
    String log = purgeLogs().keySet().iterator().next();
    CliRun purgeLog =
        stella(
            "evidence",
            "verify",
            "--archive",
            "oci://" + registry.host() + "/archive/evidence:" + log);
    assertThat(purgeLog.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(purgeLog.err())
        .contains("is the purge log of IlmClass default, not an EvidencePacket's archive")
        .doesNotContain("Usage:");
  }
}
