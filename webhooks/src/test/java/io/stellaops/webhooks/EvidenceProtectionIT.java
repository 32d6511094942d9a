package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.webhooks.agent.AgentStatusAdmission;
import io.stellaops.webhooks.evidence.EvidenceAdmission;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Evidence leaves the cluster only through the lifecycle controller, on a real API server calling
 * the admission server, with the operator running under its own identity (RBAC-limited, as the
 * chart installs it): a user with delete rights is refused with the class, expiry and pin; an
 * operator stopped between pushing an archive and deleting the packet finishes on restart with the
 * same archive (none pushed twice); a namespace going away lets its evidence go only archived.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvidenceProtectionIT {
  static final String NS = "shop";
  static final String GONE = "gone";
  static final String OPERATOR = "system:serviceaccount:stella-system:stella-operator";
  static final String D1 = "sha256:" + "1".repeat(64);
  static final MovableClock clock = new MovableClock();
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static LocalRegistry registry;
  static AdmissionServer server;
  static Operator operator;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start();
    PromotionTestSupport.installCrdsAndNamespaces(client, NS, GONE);
    // the operator may do anything but delete EvidencePackets, until the second test grants it
    List<PolicyRule> operatorRules =
        List.of(
            rule("*", "*", "get", "list", "watch", "create", "update", "patch"),
            rule(
                "stellaops.io",
                List.of("promotions", "deploymentjobs", "approvals", "releases"),
                "delete"),
            rule("", List.of("configmaps", "events"), "delete"));
    grant("stella-operator", OPERATOR, operatorRules);
    grant(
        "evidence-cleaner",
        "alice",
        List.of(
            rule("stellaops.io", "*", "get", "list", "delete", "patch"),
            rule("", "configmaps", "get", "list", "delete", "patch")));
    String admin =
        client
            .authentication()
            .v1()
            .selfSubjectReviews()
            .create(new SelfSubjectReview())
            .getStatus()
            .getUserInfo()
            .getUsername();

    var certificates =
        WebhookCertificates.generate(
            List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    server =
        new AdmissionServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            certificates,
            Map.of(
                EvidenceAdmission.PATH, new EvidenceAdmission(client, Set.of(OPERATOR)),
                AgentStatusAdmission.PATH,
                    new AgentStatusAdmission(client, Set.of(OPERATOR, admin))),
            Duration.ofSeconds(8),
            client.getKubernetesSerialization());
    server.start();
    client
        .resource(
            WebhookConfigurations.validating(
                "https://127.0.0.1:" + server.port(), certificates.caPem()))
        .serverSideApply();

    for (String ns : List.of(NS, GONE)) {
      PromotionTestSupport.apply(
          client,
          ns,
          """
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
          kind: Target
          metadata: {name: dev-docker}
          spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r1}
          spec:
            version: 1.0.0
            components: [{name: api, image: registry.example.com/shop/api, digest: %1$s}]
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r2}
          spec:
            version: 2.0.0
            components: [{name: api, image: registry.example.com/shop/api, digest: %1$s}]
          """
              .formatted(D1));
    }
    client
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: IlmClass
                metadata: {name: archive}
                spec:
                  retention: 1d
                  default: true
                  appliesTo: [EvidencePacket, DecisionRecord, Promotion, DeploymentJob]
                  onExpiry: Archive
                  archiveRepository: %1$s/archive/evidence
                ---
                apiVersion: stellaops.io/v1alpha1
                kind: IlmClass
                metadata: {name: keep}
                spec:
                  retention: 400d
                  appliesTo: [EvidencePacket, DecisionRecord, Promotion, DeploymentJob]
                  onExpiry: Archive
                  archiveRepository: %1$s/archive/evidence
                """
                    .formatted(registry.host())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .serverSideApply();
    operator = startOperator();
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    server.close();
    registry.close();
  }

  static Operator startOperator() {
    KubernetesClient self = as(OPERATOR);
    return PromotionTestSupport.startOperatorWithLifecycle(self, clock);
  }

  @Test
  @Order(1)
  void evidenceIsNotDeletedByHandEvenWithDeleteRights() {
    PromotionTestSupport.promote(client, NS, "r1-to-dev", "r1", "dev");
    PromotionTestSupport.awaitPhase(client, NS, "r1-to-dev", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "r1-to-dev");
    PromotionTestSupport.awaitPhase(client, NS, "r1-to-dev", Phase.Succeeded);
    // r2 never ran in dev, so stage denies it: evidence that explains nothing running
    PromotionTestSupport.promote(client, NS, "r2-to-stage", "r2", "stage");
    PromotionTestSupport.awaitPhase(client, NS, "r2-to-stage", Phase.Denied);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          EvidencePacket running = packet(NS, "r1-to-dev");
          EvidencePacket stage = packet(NS, "r2-to-stage");
          return stamped(running)
              && running.getMetadata().getAnnotations().containsKey(IlmMetadata.PINNED)
              && stamped(stage);
        });
    KubernetesClient alice = as("alice");
    EvidencePacket stage = packet(NS, "r2-to-stage");
    String expiry = stage.getMetadata().getAnnotations().get(IlmMetadata.EXPIRES_AT);

    assertThatThrownBy(() ->
            alice.resources(EvidencePacket.class).inNamespace(NS).withName("r2-to-stage").delete())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "EvidencePacket shop/r2-to-stage is evidence and only Stella Operator's lifecycle"
                + " controller deletes it (alice asked): kept by IlmClass archive until "
                + expiry);
    assertThatThrownBy(() ->
            alice.resources(EvidencePacket.class).inNamespace(NS).withName("r1-to-dev").delete())
        .hasMessageContaining("for as long as it is pinned: release r1 runs in dev");
    assertThatThrownBy(
            () -> alice.configMaps().inNamespace(NS).withName("r2-to-stage-decision").delete())
        .hasMessageContaining("decision record (ConfigMap) shop/r2-to-stage-decision is evidence");
    assertThatThrownBy(() ->
            alice
                .resources(EvidencePacket.class)
                .inNamespace(NS)
                .withName("r2-to-stage")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":null,\"annotations\":{\""
                        + IlmMetadata.EXPIRES_AT
                        + "\":\"2000-01-01T00:00:00Z\"}}}"))
        .hasMessageContaining("removes finalizer stellaops.io/ilm")
        .hasMessageContaining("changes annotation stellaops.io/ilm-expires-at");
    // the cluster admin is refused too: only the lifecycle controller deletes evidence
    assertThatThrownBy(() ->
            client.resources(EvidencePacket.class).inNamespace(NS).withName("r2-to-stage").delete())
        .hasMessageContaining("is evidence");
    assertThat(packet(NS, "r2-to-stage").getMetadata().getDeletionTimestamp()).isNull();
    // what is not ILM bookkeeping may still change
    alice
        .resources(EvidencePacket.class)
        .inNamespace(NS)
        .withName("r2-to-stage")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"team\":\"payments\"}}}");
  }

  @Test
  @Order(2)
  void anOperatorStoppedBetweenArchiveAndDeleteFinishesWithTheSameArchive() throws Exception {
    clock.advance(Duration.ofDays(2));
    String tag = "shop.EvidencePacket.r2-to-stage";
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> {
          IlmClass cls = client.resources(IlmClass.class).withName("archive").get();
          return cls.getStatus() != null
              && cls.getStatus().getConditions().stream()
                  .anyMatch(c -> c.type().equals("Stalled") && c.reason().equals("WriteRefused"));
        });
    assertThat(
            client.resources(IlmClass.class).withName("archive").get().getStatus().getConditions())
        .anySatisfy(c ->
            assertThat(c.message())
                .contains(
                    "the API server refused to delete EvidencePacket shop/r2-to-stage (403)"));
    EvidencePacket kept = packet(NS, "r2-to-stage");
    assertThat(kept).as("not deleted: its delete was refused").isNotNull();
    assertThat(kept.getMetadata().getFinalizers()).contains(IlmMetadata.FINALIZER);
    List<String> pushed = registry.tagHistory("archive/evidence", tag);
    assertThat(pushed).hasSize(1);

    operator.stop(); // killed between the archive and the delete
    grant(
        "stella-operator-evidence",
        OPERATOR,
        List.of(rule("stellaops.io", "evidencepackets", "delete")));
    operator = startOperator();

    await().atMost(Duration.ofSeconds(40)).until(() -> packet(NS, "r2-to-stage") == null);
    assertThat(registry.tagHistory("archive/evidence", tag))
        .as("the restart archived the same bundle: one manifest ever under the tag")
        .isEqualTo(pushed);
    Bundle bundle =
        Bundle.read(
            new RegistryClient(Duration.ofSeconds(5))
                .firstLayer(registry.host() + "/archive/evidence:" + tag, Optional.empty()));
    assertThat(bundle.files()).containsKey("evidence/packet.json");
    assertThat(packet(NS, "r1-to-dev")).as("pinned: r1 runs in dev").isNotNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() ->
            assertThat(
                    client
                        .resources(IlmClass.class)
                        .withName("archive")
                        .get()
                        .getStatus()
                        .getConditions())
                .anySatisfy(c -> {
                  assertThat(c.type()).isEqualTo("Ready");
                  assertThat(c.status()).isEqualTo(io.stellaops.crds.common.Condition.Status.TRUE);
                }));
  }

  @Test
  @Order(3)
  void aNamespaceGoingAwayWaitsVisiblyAndLetsItsEvidenceGoOnlyArchived() throws Exception {
    PromotionTestSupport.apply(
        client,
        GONE,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec: {upstream: {environments: [dev]}, ilmClass: keep}
        """);
    PromotionTestSupport.promote(client, GONE, "r2-to-stage", "r2", "stage");
    PromotionTestSupport.awaitPhase(client, GONE, "r2-to-stage", Phase.Denied);
    await().atMost(Duration.ofSeconds(30)).until(() -> stamped(packet(GONE, "r2-to-stage")));
    // the operator is down while the namespace goes: Kubernetes' namespace controller waits for it
    operator.stop();
    Process namespaceController = namespaceController();
    try {
      client.namespaces().withName(GONE).delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() ->
              assertThat(client.namespaces().withName(GONE).get().getStatus().getConditions())
                  .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("NamespaceFinalizersRemaining");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getMessage()).contains(IlmMetadata.FINALIZER);
                  }));
      assertThat(packet(GONE, "r2-to-stage").getMetadata().getDeletionTimestamp()).isNotNull();
      operator = startOperator();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.namespaces().withName(GONE).get() == null);
    } finally {
      namespaceController.destroy();
    }
    Bundle bundle =
        Bundle.read(
            new RegistryClient(Duration.ofSeconds(5))
                .firstLayer(
                    registry.host() + "/archive/evidence:gone.EvidencePacket.r2-to-stage",
                    Optional.empty()));
    assertThat(bundle.about().path("reason").asText()).startsWith("deleted before expiry");
    assertThat(bundle.files()).containsKey("evidence/envelope.dsse.json");
  }

  /**
   * Upstream's namespace controller, started as kube-controller-manager starts it
   * (hack/peers/kube/namespace-controller): the test API server runs no controllers.
   */
  static Process namespaceController() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("namespace-controller");
    java.nio.file.Path kubeconfig = dir.resolve("kubeconfig");
    java.nio.file.Files.writeString(kubeconfig, kubeConfigYaml);
    java.nio.file.Path binary =
        java.nio.file.Path.of(
            System.getenv("KUBE_API_TEST_DIR"),
            "k8s",
            System.getenv("KUBE_API_TEST_API_SERVER_VERSION") + "-linux-amd64",
            "namespace-controller");
    return new ProcessBuilder(
            binary.toString(), "--kubeconfig=" + kubeconfig, "--namespace-sync-period=5s")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("namespace-controller.log").toFile())
        .start();
  }

  static boolean stamped(EvidencePacket packet) {
    return packet != null
        && packet.getMetadata().getAnnotations() != null
        && packet.getMetadata().getAnnotations().containsKey(IlmMetadata.EXPIRES_AT)
        && packet.getMetadata().getFinalizers() != null
        && packet.getMetadata().getFinalizers().contains(IlmMetadata.FINALIZER);
  }

  static EvidencePacket packet(String namespace, String name) {
    return client.resources(EvidencePacket.class).inNamespace(namespace).withName(name).get();
  }

  static KubernetesClient as(String user, String... groups) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration())
                .withImpersonateUsername(user)
                .withImpersonateGroups(groups)
                .build())
        .build();
  }

  static PolicyRule rule(String group, String resource, String... verbs) {
    return rule(group, List.of(resource), verbs);
  }

  static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }

  static void grant(String name, String user, List<PolicyRule> rules) {
    client
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withRules(rules)
                .build())
        .serverSideApply();
    client
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(name)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .serverSideApply();
  }
}
