package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole operator process (controllers, admission server, health) against a real API server. */
@EnableKubeAPIServer
class StellaOperatorIT {
  static final String NS = "shop";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static LocalOperator stella;

  @BeforeAll
  static void start() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    stella =
        LocalOperator.start(
            new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build(),
            "stella-test",
            Map.of("STELLA_EVIDENCE_KEY_RECHECK_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    stella.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return stella.get(path);
  }

  @Test
  void becomesReadyAndTellsItsVersion() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/health/readiness").statusCode() == 200);
    assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
    var version = get("/version");
    assertThat(version.statusCode()).isEqualTo(200);
    assertThat(version.body())
        .contains("\"version\":\"0.1.0-SNAPSHOT\"")
        .contains("\"gitCommit\"")
        .contains("\"buildDate\"");
  }

  @Test
  void stampsTheRequesterAndDecides() {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {upstream: {environments: [stage]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: app-1}
        spec:
          version: 1.0.0
          components: [{name: app, image: registry.example.com/app, digest: sha256:%s}]
        """
            .formatted("5".repeat(64)));
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: app-1-to-prod}
        spec: {release: app-1, environment: prod}
        """;
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> client.resource(yaml).inNamespace(NS).create() != null);
    Promotion created =
        client.resources(Promotion.class).inNamespace(NS).withName("app-1-to-prod").get();
    assertThat(created.getSpec().requestedBy()).isNotNull();
    Promotion denied = PromotionTestSupport.awaitPhase(client, NS, "app-1-to-prod", Phase.Denied);
    assertThat(denied.getStatus().getDecision().reasons())
        .isEqualTo(List.of("upstream: not yet succeeded in stage"));
    assertThat(
            client
                .configMaps()
                .inNamespace("stella-test")
                .withName("stella-evidence-public-key")
                .get())
        .isNotNull();
  }

  /** A denied promotion into prod; the key id its evidence is signed with. */
  static String signedBy(String release, String promotion) {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {upstream: {environments: [stage]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: %s}
        spec:
          version: 1.0.0
          components: [{name: app, image: registry.example.com/app, digest: sha256:%s}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: prod}
        """
            .formatted(release, "7".repeat(64), promotion, release));
    PromotionTestSupport.awaitPhase(client, NS, promotion, Phase.Denied);
    return PromotionTestSupport.signerOf(client, NS, promotion);
  }

  @Test
  void aRotatedKeySignsFromTheNextCheckOnAndTheKeyringKeepsTheOldOne() throws Exception {
    String before = signedBy("rotating-1", "rotating-1-to-prod");
    // what `kubectl stella keys rotate` does to the Secret: replaced whole (it is immutable)
    var pair = io.stellaops.supplychain.keys.PemKeys.generateP256();
    String publicPem = io.stellaops.supplychain.keys.PemKeys.publicKeyPem(pair.getPublic());
    client.secrets().inNamespace("stella-test").withName("stella-evidence-signing-key").delete();
    client
        .secrets()
        .inNamespace("stella-test")
        .resource(
            io.stellaops.crds.evidencepacket.EvidencePublicKey.secret(
                "stella-test",
                io.stellaops.supplychain.keys.PemKeys.privateKeyPem(pair.getPrivate()),
                publicPem))
        .create();
    String rotated = io.stellaops.supplychain.keys.PemKeys.keyId(pair.getPublic());
    Thread.sleep(2_000); // past this operator's 1 s recheck
    String after = signedBy("rotating-2", "rotating-2-to-prod");
    assertThat(after).isEqualTo(rotated).isNotEqualTo(before);
    var keyring =
        io.stellaops.decision.evidence.EvidenceKeyring.parse(
            client
                .configMaps()
                .inNamespace("stella-test")
                .withName("stella-evidence-public-key")
                .get()
                .getData()
                .get("keyring.json"));
    assertThat(keyring.active()).get().extracting(k -> k.keyId()).isEqualTo(rotated);
    assertThat(keyring.find(before)).get().satisfies(k -> assertThat(k.retiredAt()).isNotNull());
  }

  @Test
  void metricsListEveryMetricTheDocsName() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/health/readiness").statusCode() == 200);
    List<String> documented =
        Files.readAllLines(Path.of("..", "docs", "metrics.md")).stream()
            .filter(line -> line.startsWith("| `stella_"))
            .map(line -> line.substring(3, line.indexOf('`', 3)))
            .toList();
    assertThat(documented).hasSizeGreaterThanOrEqualTo(9);
    // Activity that every metric observes: a live agent, a denied promotion, a release admitted,
    // an IlmClass looked at.
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: IlmClass
            metadata: {name: metrics-class}
            spec: {retention: 30d, appliesTo: [EvidencePacket]}
            """)
        .serverSideApply();
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: metrics-agent}
        spec: {serviceAccountName: metrics-agent, capabilities: [docker]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: metrics-prod}
        spec: {upstream: {environments: [metrics-stage]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: metrics-feed}
        spec: {source: {path: /nonexistent/osv}}
        """);
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(AgentLease.name("metrics-agent"))
                .withNamespace(NS)
                .addToLabels(AgentLease.AGENT_LABEL, "metrics-agent")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("metrics-agent@test")
                .withLeaseDurationSeconds(30)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .endSpec()
                .build())
        .serverSideApply();
    String release =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: metrics-app}
        spec:
          version: 1.0.0
          components: [{name: app, image: registry.example.com/app, digest: sha256:%s}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: metrics-app-to-prod}
        spec: {release: metrics-app, environment: metrics-prod}
        """
            .formatted("6".repeat(64));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> {
          PromotionTestSupport.apply(client, NS, release);
          return true;
        });
    PromotionTestSupport.awaitPhase(client, NS, "metrics-app-to-prod", Phase.Denied);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          var metrics = get("/metrics");
          assertThat(metrics.statusCode()).isEqualTo(200);
          assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
              .startsWith("text/plain");
          for (String name : documented) {
            assertThat(metrics.body()).as(name).contains("\n" + name);
          }
        });
  }
}
