package io.stellaops.cli;

import static io.stellaops.cli.CliRun.stella;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.export.Export;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence exports on a real API server and registry: promotions leave signed evidence, an Export
 * bundles it, signs the manifest and pushes it; {@code kubectl stella export get|verify} fetch and
 * check it offline, a flipped byte in any file is named, sha256sum agrees, the same selection makes
 * the same bytes, and bad Exports are refused or stalled with a reason.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportCliIT {
  static final String NS = ShopFixture.NS;
  static final String D1 = ShopFixture.D1;
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static Path kubeconfig;
  static LocalRegistry registry;
  static Operator operator;
  static final MovableClock clock = new MovableClock();

  @TempDir Path dir;

  static CliRun inCluster(String... args) {
    return ShopFixture.inShop(kubeconfig, args);
  }

  @BeforeAll
  static void setUp() throws Exception {
    kubeconfig = ShopFixture.kubeconfig(kubeConfigYaml);
    registry = LocalRegistry.start();
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    ShopFixture.environmentsAndReleases(client);
    operator = PromotionTestSupport.startOperatorWithLifecycle(client, clock);
    ShopFixture.promoteR1ToDevAndR2ToStage(client);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    registry.close();
  }

  static void export(String name, String spec) {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Export
        metadata: {name: %s}
        spec:
        %s
        """
            .formatted(name, spec.indent(2)));
  }

  static Export awaitPhase(String name, String phase) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.resources(Export.class).inNamespace(NS).withName(name).get(),
            e -> e.getStatus() != null && phase.equals(e.getStatus().getPhase()));
  }

  static String repository() {
    return registry.host() + "/audit/evidence";
  }

  @Test
  @Order(1)
  void anEvidenceExportIsPushedFetchedAndVerifiedOffline() throws Exception {
    export("all", "profile: evidence\nrepository: " + repository());
    Export done = awaitPhase("all", "Complete");
    var status = done.getStatus();
    assertThat(status.getObjects())
        .containsEntry("EvidencePacket", 2)
        .containsEntry("Promotion", 2)
        .containsEntry("DecisionRecord", 2)
        .containsEntry("Release", 2)
        .containsKey("DeploymentJob");
    assertThat(status.getLocations())
        .containsExactly(
            "oci://" + repository() + "@" + status.getLocations().getFirst().split("@")[1]);
    assertThat(Conditions.find(status, "Ready").orElseThrow().status())
        .isEqualTo(io.stellaops.crds.common.Condition.Status.TRUE);
    String activeKey = EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM).keyId();
    assertThat(status.getSignedBy()).isEqualTo(activeKey);

    Path file = dir.resolve("all.tar");
    CliRun get = inCluster("export", "get", "all", "--out", file.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(io.stellaops.supplychain.digest.Sha256.digest(Files.readAllBytes(file)))
        .isEqualTo(status.getBundle().digest());

    CliRun verify = stella("export", "verify", file.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out())
        .contains("Bundle verified: export shop/all (evidence)")
        .contains("manifest signed by key " + activeKey + " (the bundle's own keyring")
        .contains("2 evidence packet(s) verify");
    CliRun fromRegistry = stella("export", "verify", "oci://" + repository() + ":shop.all");
    assertThat(fromRegistry.exit()).as(fromRegistry.err()).isZero();

    Path operatorKey = dir.resolve("operator.pub");
    Files.writeString(
        operatorKey,
        PemKeys.publicKeyPem(
            EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM).publicKey()));
    assertThat(stella("export", "verify", file.toString(), "--key", operatorKey.toString()).exit())
        .isZero();
    Path otherKey = dir.resolve("other.pub");
    Files.writeString(otherKey, PemKeys.publicKeyPem(PemKeys.generateP256().getPublic()));
    CliRun wrongKey = stella("export", "verify", file.toString(), "--key", otherKey.toString());
    assertThat(wrongKey.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
    assertThat(wrongKey.err()).contains("manifest.dsse.json: ");

    Bundle bundle = Bundle.read(Files.readAllBytes(file));
    assertThat(bundle.files().keySet())
        .contains(
            "evidence/r1-to-dev/packet.json",
            "evidence/r2-to-stage/envelope.dsse.json",
            "releases/r1/release.evidence.json",
            "objects/Promotion/r2-to-stage.json",
            "keys/keyring.json",
            "keys/" + activeKey + ".pub",
            "README.md");
    var r1 = CanonicalJson.MAPPER.readTree(bundle.files().get("releases/r1/release.evidence.json"));
    assertThat(r1.path("version").asText()).isEqualTo("1.0.0");
    assertThat(r1.path("promotions").get(0).path("environment").asText()).isEqualTo("dev");
    assertThat(r1.path("promotions").get(0).path("phase").asText()).isEqualTo("Succeeded");
    assertThat(r1.path("promotions").get(0).path("digests").get(0).path("digest").asText())
        .isEqualTo(D1);

    // sha256sum reads the same checksums, on the files tar extracts
    Path extracted = Files.createDirectories(dir.resolve("extracted"));
    assertThat(run(extracted, "tar", "-xf", file.toString())).isEqualTo(0);
    assertThat(run(extracted, "sha256sum", "--quiet", "-c", "checksums.txt")).isEqualTo(0);
  }

  static int run(Path in, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(in.toFile()).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  @Order(2)
  void aFlippedByteInAnyFileIsNamed() throws Exception {
    Path file = dir.resolve("all.tar");
    assertThat(inCluster("export", "get", "all", "--out", file.toString()).exit()).isZero();
    byte[] original = Files.readAllBytes(file);
    Map<String, int[]> files = io.stellaops.supplychain.archive.TarContents.of(original);
    assertThat(files).hasSizeGreaterThan(15);
    List<String> missed = new ArrayList<>();
    for (var entry : files.entrySet()) {
      byte[] bytes = original.clone();
      bytes[entry.getValue()[0] + entry.getValue()[1] / 2] ^= 0x01;
      Path flipped = dir.resolve("flipped.tar");
      Files.write(flipped, bytes);
      CliRun verify = stella("export", "verify", flipped.toString());
      String firstProblem = verify.err().lines().skip(1).findFirst().orElse("").strip();
      if (verify.exit() != StellaCli.VERIFICATION_FAILED
          || !firstProblem.startsWith(entry.getKey())) {
        missed.add(entry.getKey() + " -> exit " + verify.exit() + ": " + firstProblem);
      }
    }
    assertThat(missed).isEmpty();
  }

  @Test
  @Order(3)
  void theSameSelectionMakesTheSameBundleAndSelectorsSelect() throws Exception {
    String first = awaitPhase("all", "Complete").getStatus().getBundle().digest();
    client.resources(Export.class).inNamespace(NS).withName("all").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.resources(Export.class).inNamespace(NS).withName("all").get() == null);
    export("all", "profile: evidence\nrepository: " + repository());
    assertThat(awaitPhase("all", "Complete").getStatus().getBundle().digest()).isEqualTo(first);

    export(
        "dev-only",
        "profile: evidence\nrepository: "
            + repository()
            + "\nselector: {environments: [dev], since: '2020-01-01T00:00:00Z'}");
    var devOnly = awaitPhase("dev-only", "Complete").getStatus();
    assertThat(devOnly.getObjects()).containsEntry("EvidencePacket", 1).containsEntry("Release", 1);
    export(
        "nothing",
        "profile: evidence\nrepository: "
            + repository()
            + "\nselector: {until: '2020-01-01T00:00:00Z'}");
    assertThat(awaitPhase("nothing", "Complete").getStatus().getObjects())
        .doesNotContainKey("EvidencePacket");

    client
        .resources(io.stellaops.crds.release.Release.class)
        .inNamespace(NS)
        .withName("r1")
        .edit(r -> {
          r.getMetadata().getLabels().put("team", "payments");
          return r;
        });
    export(
        "payments",
        "profile: evidence\nrepository: "
            + repository()
            + "\nselector: {releaseLabels: {team: payments}}");
    assertThat(awaitPhase("payments", "Complete").getStatus().getObjects())
        .containsEntry("EvidencePacket", 1)
        .containsEntry("Release", 1);
    export(
        "payments-findings",
        "profile: findings\nrepository: "
            + repository()
            + "\nselector: {releaseLabels: {team: payments}, releases: [r1, r2]}");
    assertThat(awaitPhase("payments-findings", "Complete").getStatus().getObjects())
        .containsEntry("Release", 1);
  }

  @Test
  @Order(4)
  void badExportsAreRefusedOrStalledWithAReason() {
    assertThatThrownBy(() -> export("nowhere", "profile: evidence"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("an Export needs a destination: repository, s3 or both");
    assertThatThrownBy(() ->
            export(
                "backwards",
                "profile: evidence\nrepository: "
                    + repository()
                    + "\nselector: {since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z'}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("since must be before until");
    assertThatThrownBy(
            () -> export("all", "profile: evidence\nrepository: " + registry.host() + "/x"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Export spec is immutable");
    assertThatThrownBy(() -> export("trivy", "profile: trivy\nrepository: " + repository()))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("supported values: \"evidence\"");
    assertThatThrownBy(() ->
            export(
                "evidence-delta",
                "profile: evidence\ndelta: {export: all}\nrepository: " + repository()))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.delta: Forbidden: delta is for the mirror profile");
    export("orphan-delta", "profile: mirror\ndelta: {export: nope}\nrepository: " + repository());
    var orphan = awaitPhase("orphan-delta", "Failed").getStatus();
    assertThat(orphan.getMessage())
        .startsWith("spec.delta.export: Export shop/nope does not exist");
    assertThat(Conditions.find(orphan, "Stalled").orElseThrow().reason())
        .isEqualTo("ExportRefused");

    export("unreachable", "profile: evidence\nrepository: 127.0.0.1:1/audit/evidence");
    var failed = awaitPhase("unreachable", "Failed").getStatus();
    assertThat(failed.getMessage()).startsWith("oci://127.0.0.1:1/audit/evidence: ");
    assertThat(Conditions.find(failed, "Stalled").orElseThrow().reason())
        .isEqualTo("DestinationUnavailable");
    export(
        "no-credentials",
        "profile: evidence\ns3: {bucket: audit, endpoint: 'http://127.0.0.1:1', credentialsSecret: s3}");
    assertThat(awaitPhase("no-credentials", "Failed").getStatus().getMessage())
        .startsWith("s3://audit: Secret shop/s3 does not exist");

    CliRun notComplete = inCluster("export", "get", "unreachable", "--out", "x.tar");
    assertThat(notComplete.exit()).isNotZero();
    assertThat(notComplete.err()).contains("export unreachable is not complete: oci://127.0.0.1:1");
    CliRun notABundle = stella("export", "verify", kubeconfig.toString());
    assertThat(notABundle.exit()).isEqualTo(StellaCli.VERIFICATION_FAILED);
  }

  @Test
  @Order(5)
  void afterARotationOldEvidenceStillVerifiesInANewBundle() throws Exception {
    String before = EvidenceSigningKey.loadOrCreate(client, PromotionTestSupport.SYSTEM).keyId();
    CliRun rotate = inCluster("keys", "rotate");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    export("after-rotation", "profile: evidence\nrepository: " + repository());
    var status = awaitPhase("after-rotation", "Complete").getStatus();
    assertThat(status.getSignedBy()).isNotEqualTo(before);
    Path file = dir.resolve("after.tar");
    assertThat(inCluster("export", "get", "after-rotation", "--out", file.toString()).exit())
        .isZero();
    CliRun verify = stella("export", "verify", file.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out())
        .contains("manifest signed by key " + status.getSignedBy())
        .contains("(keys " + before.substring(0, 12) + ")");
  }

  @Test
  @Order(6)
  void aScheduledExportRunsAtItsTimesAndEachRunHoldsWhatCameSinceTheLast() throws Exception {
    export(
        "hourly",
        "profile: evidence\nrepository: "
            + repository()
            + "\nschedule: {cron: '0 * * * *', timeZone: Europe/Berlin}");
    var waiting = awaitPhase("hourly", "Scheduled").getStatus();
    java.time.Instant first = java.time.Instant.parse(waiting.getNextRunAt());
    assertThat(first).isAfter(java.time.Instant.now());
    assertThat(waiting.getRuns()).isEmpty();

    clock.advance(Duration.ofHours(1));
    var once =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(Export.class).inNamespace(NS).withName("hourly").get(),
                e -> e.getStatus().getRuns().size() == 1)
            .getStatus();
    assertThat(once.getLastRunAt()).isEqualTo(first.toString());
    assertThat(once.getObjects()).containsEntry("EvidencePacket", 2);
    String tag =
        "shop.hourly."
            + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(first);
    CliRun verify = stella("export", "verify", "oci://" + repository() + ":" + tag);
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("2 evidence packet(s) verify");

    // the next run starts where this one ended: the packets are not exported twice
    clock.advance(Duration.ofHours(1));
    var twice =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(Export.class).inNamespace(NS).withName("hourly").get(),
                e -> e.getStatus().getRuns().size() == 2)
            .getStatus();
    assertThat(twice.getRuns().getFirst().objects()).isZero();
    assertThat(twice.getRuns().get(1).objects()).isEqualTo(once.getRuns().getFirst().objects());
    assertThat(java.time.Instant.parse(twice.getLastRunAt())).isEqualTo(first.plusSeconds(3600));

    export(
        "bad-schedule",
        "profile: evidence\nrepository: " + repository() + "\nschedule: {cron: '61 * * * *'}");
    var bad = awaitPhase("bad-schedule", "Failed").getStatus();
    assertThat(bad.getMessage()).startsWith("spec.schedule is not a schedule: ");
  }

  @Test
  @Order(7)
  void aRegistryThatAsksForCredentialsGetsTheNamespacesNotTheOperators() throws Exception {
    try (var guarded = LocalRegistry.startWithBasicAuth("audit", "s3cret")) {
      String repository = guarded.host() + "/audit/evidence";
      export("unauthorised", "profile: evidence\nrepository: " + repository);
      var refused = awaitPhase("unauthorised", "Failed").getStatus();
      assertThat(refused.getMessage())
          .startsWith("oci://" + repository + ": ")
          .contains("registry requires authentication")
          .contains("no credentials are configured for it");

      export(
          "no-secret",
          "profile: evidence\nrepository: " + repository + "\nrepositoryCredentials: audit-push");
      assertThat(awaitPhase("no-secret", "Failed").getStatus().getMessage())
          .startsWith("oci://" + repository + ": Secret shop/audit-push not found");

      String auth =
          java.util.Base64.getEncoder()
              .encodeToString("audit:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      client
          .secrets()
          .inNamespace(NS)
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("audit-push")
                  .endMetadata()
                  .withType("kubernetes.io/dockerconfigjson")
                  .addToStringData(
                      ".dockerconfigjson",
                      "{\"auths\": {\"" + guarded.host() + "\": {\"auth\": \"" + auth + "\"}}}")
                  .build())
          .create();
      export(
          "with-secret",
          "profile: evidence\nrepository: " + repository + "\nrepositoryCredentials: audit-push");
      var done = awaitPhase("with-secret", "Complete").getStatus();
      byte[] pushed =
          new io.stellaops.supplychain.oci.RegistryClient(Duration.ofSeconds(5))
              .firstLayer(
                  repository + ":shop.with-secret",
                  java.util.Optional.of(
                      new io.stellaops.supplychain.oci.RegistryClient.Credentials(
                          "audit", "s3cret")));
      assertThat(io.stellaops.supplychain.digest.Sha256.digest(pushed))
          .isEqualTo(done.getBundle().digest());
    }
  }
}
