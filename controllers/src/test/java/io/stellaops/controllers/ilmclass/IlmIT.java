package io.stellaops.controllers.ilmclass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of evidence on a real API server and registry: promotions run, their evidence is
 * stamped with its class and expiry, time passes (the operator's clock is moved), and what expired
 * and explains nothing is archived to the registry, read back, verified and purged, while what a
 * running release needs, or a legal hold keeps, stays.
 */
@EnableKubeAPIServer
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class IlmIT {
  static final String NS = "shop";
  static final String D1 = "sha256:" + "1".repeat(64);
  static KubernetesClient client;
  static LocalRegistry registry;
  static Operator operator;
  static final MovableClock clock = new MovableClock();

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start();
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: short}
        spec:
          retention: 1d
          default: true
          appliesTo: [EvidencePacket, DecisionRecord, Promotion, DeploymentJob, Approval]
          onExpiry: Archive
          archiveRepository: %1$s/archive/evidence
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: hold}
        spec:
          retention: 1d
          legalHold: true
          appliesTo: [EvidencePacket, DecisionRecord, Promotion]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: unreachable}
        spec:
          retention: 1d
          appliesTo: [EvidencePacket]
          onExpiry: Archive
          archiveRepository: 127.0.0.1:1/archive/nowhere
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec: {upstream: {environments: [dev]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: vault}
        spec: {upstream: {environments: [dev]}, ilmClass: hold}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: lab}
        spec: {upstream: {environments: [dev]}, ilmClass: unreachable}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        """
            .formatted(registry.host()));
    operator = PromotionTestSupport.startOperatorWithLifecycle(client, clock);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    registry.close();
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void anExpiredFindingsReportIsArchivedWithItsReport() throws Exception {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: reports}
        spec:
          retention: 1d
          appliesTo: [FindingsReport]
          onExpiry: Archive
          archiveRepository: %s/archive/reports
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: r-scanned}
        spec:
          version: 1.0.0
          ilmClass: reports
          components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
        """
            .formatted(registry.host(), D1));
    String body =
        java.util.Base64.getEncoder()
            .encodeToString("the findings report".getBytes(StandardCharsets.UTF_8));
    client
        .resource(
            findingsReport("r-scanned-api-findings-0123456789ab", "r-scanned")
                .withImmutable(true)
                .addToBinaryData("report.json.gz", body)
                .build())
        .create();
    clock.advance(Duration.ofDays(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            client
                    .configMaps()
                    .inNamespace(NS)
                    .withName("r-scanned-api-findings-0123456789ab")
                    .get()
                == null);
    // the lifecycle caches reports without their content; the archive has it all the same
    Bundle bundle =
        Bundle.read(
            new RegistryClient(Duration.ofSeconds(5))
                .firstLayer(
                    registry.host()
                        + "/archive/reports:shop.FindingsReport.r-scanned-api-findings-0123456789ab",
                    Optional.empty()));
    assertThat(
            CanonicalJson.MAPPER
                .readTree(
                    bundle
                        .files()
                        .get("objects/ConfigMap/r-scanned-api-findings-0123456789ab.json"))
                .at("/binaryData/report.json.gz")
                .asText())
        .isEqualTo(body);
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void aRunNamesTwentyPurgesInEventsOfTheirOwnAndCountsTheRestInOne() {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: backlog}
        spec:
          retention: 1d
          appliesTo: [FindingsReport]
          onExpiry: Delete
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: r-backlog}
        spec:
          version: 1.0.0
          ilmClass: backlog
          components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
        """
            .formatted(D1));
    int reports = IlmClassReconciler.EVENTS_PER_RUN + 5;
    for (int i = 0; i < reports; i++) {
      client
          .resource(
              findingsReport("r-backlog-api-findings-" + i, "r-backlog")
                  .addToData("report.json", "{}")
                  .build())
          .create();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            ilmClass("backlog").getStatus() != null
                && ilmClass("backlog").getStatus().getUsage().getOrDefault("FindingsReport", 0)
                    == reports);
    clock.advance(Duration.ofDays(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            client
                .configMaps()
                .inNamespace(NS)
                .withLabel(IlmInventory.RELEASE_LABEL, "r-backlog")
                .list()
                .getItems()
                .isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var events =
              client.v1().events().inNamespace("default").list().getItems().stream()
                  .filter(e -> e.getInvolvedObject().getName().equals("backlog"))
                  .filter(e -> e.getReason().equals("Purged"))
                  .map(io.fabric8.kubernetes.api.model.Event::getMessage)
                  .toList();
          assertThat(events).hasSize(IlmClassReconciler.EVENTS_PER_RUN + 1);
          assertThat(events)
              .filteredOn(m -> m.startsWith("FindingsReport shop/r-backlog-api-findings-"))
              .hasSize(IlmClassReconciler.EVENTS_PER_RUN);
          assertThat(events)
              .contains(
                  "5 more objects purged this run than the 20 Events before this one name (25 in"
                      + " all: 25 FindingsReport); each is listed in the operator's log");
        });
  }

  /** A findings report of component api of {@code release}, as the Release controller labels it. */
  static io.fabric8.kubernetes.api.model.ConfigMapBuilder findingsReport(
      String name, String release) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(IlmInventory.RELEASE_LABEL, release)
        .addToLabels(IlmInventory.COMPONENT_LABEL, "api")
        .addToLabels(IlmMetadata.RECORD, IlmMetadata.FINDINGS_REPORT)
        .endMetadata();
  }

  static void apply(String yaml) {
    PromotionTestSupport.apply(client, NS, yaml);
  }

  static void release(String name) {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 1.0.0
          components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
        """
            .formatted(name, D1));
  }

  static Promotion promote(String name, String release, String environment, Phase phase) {
    PromotionTestSupport.promote(client, NS, name, release, environment);
    return PromotionTestSupport.awaitPhase(client, NS, name, phase);
  }

  static EvidencePacket packet(String name) {
    return client.resources(EvidencePacket.class).inNamespace(NS).withName(name).get();
  }

  static IlmClass ilmClass(String name) {
    return client.resources(IlmClass.class).withName(name).get();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void expiredEvidenceIsArchivedVerifiedAndPurgedWhileWhatRunsStays() throws Exception {
    release("r1");
    release("r2");
    promote("r1-to-dev", "r1", "dev", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "r1-to-dev");
    PromotionTestSupport.awaitPhase(client, NS, "r1-to-dev", Phase.Succeeded);
    // not yet in dev, so stage denies r2: evidence of a release that runs nowhere
    promote("r2-to-stage", "r2", "stage", Phase.Denied);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          EvidencePacket p = packet("r2-to-stage");
          return p != null && p.getStatus() != null && p.getStatus().getExpiresAt() != null;
        });
    EvidencePacket denied = packet("r2-to-stage");
    assertThat(denied.getMetadata().getLabels()).containsEntry(IlmMetadata.CLASS, "short");
    assertThat(denied.getMetadata().getFinalizers()).contains(IlmMetadata.FINALIZER);
    assertThat(denied.getSpec().ilmClass()).isEqualTo("short");
    assertThat(denied.getStatus().getExpiresAt())
        .isEqualTo(
            java.time.Instant.parse(denied.getMetadata().getCreationTimestamp())
                .plus(Duration.ofDays(1))
                .toString());
    assertThat(denied.getStatus().getConditions())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.type()).isEqualTo("Ready");
          assertThat(c.reason()).isEqualTo("Governed");
          assertThat(c.message())
              .isEqualTo("kept under IlmClass short until " + denied.getStatus().getExpiresAt());
        });
    EvidencePacketSpec deniedSpec = denied.getSpec();
    // the key rotates before the packet is archived: the archive carries the key that signed it
    client
        .secrets()
        .inNamespace(PromotionTestSupport.SYSTEM)
        .withName(io.stellaops.controllers.evidence.EvidenceSigningKey.SECRET)
        .delete();
    var rotated =
        io.stellaops.controllers.evidence.EvidenceSigningKey.loadOrCreate(
            client, PromotionTestSupport.SYSTEM);
    assertThat(rotated.keyId()).isNotEqualTo(deniedSpec.envelope().signatures().getFirst().keyid());

    clock.advance(Duration.ofDays(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            packet("r2-to-stage") == null
                && client.resources(Promotion.class).inNamespace(NS).withName("r2-to-stage").get()
                    == null
                && client.configMaps().inNamespace(NS).withName("r2-to-stage-decision").get()
                    == null);
    // r1 runs in dev: its promotion and evidence explain the present
    assertThat(packet("r1-to-dev")).isNotNull();
    assertThat(client.resources(Promotion.class).inNamespace(NS).withName("r1-to-dev").get())
        .isNotNull();

    // the archive is in the registry, whole, and its evidence verifies offline
    var archive =
        new RegistryClient(Duration.ofSeconds(5))
            .firstLayer(
                registry.host() + "/archive/evidence:shop.EvidencePacket.r2-to-stage",
                Optional.empty());
    Bundle bundle = Bundle.read(archive);
    assertThat(bundle.about().path("reason").asText()).isEqualTo("expired");
    assertThat(bundle.files())
        .containsKeys(
            "evidence/packet.json",
            "evidence/cosign.pub",
            "objects/Promotion/r2-to-stage.json",
            "objects/ConfigMap/r2-to-stage-decision.json");
    EvidencePacketSpec archived =
        CanonicalJson.MAPPER.readValue(
            bundle.files().get("evidence/packet.json"), EvidencePacketSpec.class);
    assertThat(archived).isEqualTo(deniedSpec);
    var verified =
        EvidenceVerifier.verify(
            archived,
            PemKeys.parsePublicKey(
                new String(bundle.files().get("evidence/cosign.pub"), StandardCharsets.UTF_8)));
    assertThat(verified.ok()).as(String.valueOf(verified.problems())).isTrue();

    // the run's status is written after its deletes
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          IlmClass shortClass = ilmClass("short");
          assertThat(shortClass.getStatus().getUsage()).containsKey("EvidencePacket");
          assertThat(shortClass.getStatus().getPinned()).isPositive();
        });
    assertThat(client.v1().events().inNamespace("default").list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("Archived");
          assertThat(e.getMessage())
              .startsWith("EvidencePacket shop/r2-to-stage archived to oci://" + registry.host());
        });
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void aLegalHoldKeepsEvidenceAndAnUnreachableArchiveDeletesNothing() {
    release("r3");
    promote("r3-to-vault", "r3", "vault", Phase.Denied);
    promote("r3-to-lab", "r3", "lab", Phase.Denied);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> packet("r3-to-vault") != null && packet("r3-to-lab") != null);
    clock.advance(Duration.ofDays(3));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          IlmClass lab = ilmClass("unreachable");
          return lab.getStatus() != null
              && lab.getStatus().getConditions().stream()
                  .anyMatch(
                      c -> c.type().equals("Stalled") && c.reason().equals("ArchiveUnavailable"));
        });
    assertThat(packet("r3-to-lab")).as("nothing deleted without its archive").isNotNull();
    assertThat(
            ilmClass("unreachable").getStatus().getConditions().stream()
                .filter(c -> c.type().equals("Stalled"))
                .findFirst()
                .orElseThrow()
                .message())
        .contains("archive destination unavailable")
        .contains("oci://127.0.0.1:1/archive/nowhere");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            ilmClass("hold").getStatus() != null
                && ilmClass("hold").getStatus().getPinned() != null
                && ilmClass("hold").getStatus().getPinned() > 0);
    assertThat(packet("r3-to-vault")).as("under legal hold").isNotNull();
    assertThat(packet("r3-to-vault").getStatus().getLegalHold()).isTrue();
  }
}
