package io.stellaops.webhooks;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static io.stellaops.controllers.PromotionTestSupport.awaitPhase;
import static io.stellaops.controllers.PromotionTestSupport.completeJobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseAnnotations;
import io.stellaops.supplychain.digest.DigestSet;
import io.stellaops.webhooks.approval.ApprovalAdmission;
import io.stellaops.webhooks.promotion.PromotionAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real API server calls our admission server over TLS: who promoted and who approved come from
 * Kubernetes authentication (here: impersonation by the test's admin), never from the client.
 */
@EnableKubeAPIServer
class IdentityStampingIT {
  static final String NS = "shop";
  static final String D1 = "sha256:" + "1".repeat(64);
  static KubernetesClient client;
  static AdmissionServer server;
  static Operator operator;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    client
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("stella-user")
                .endMetadata()
                .addNewRule()
                .withApiGroups("stellaops.io")
                .withResources("*")
                .withVerbs("get", "list", "watch", "create", "update", "patch")
                .endRule()
                .build())
        .serverSideApply();
    client
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("stella-users")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("stella-user")
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Group")
                .withName("system:authenticated")
                .endSubject()
                .build())
        .serverSideApply();

    server =
        LoopbackAdmission.start(
            client,
            Map.of(
                PromotionAdmission.PATH, new PromotionAdmission(client),
                ApprovalAdmission.PATH, new ApprovalAdmission(client),
                ReleaseAdmission.PATH, LoopbackAdmission.releaseAdmission(client)));
    operator = PromotionTestSupport.startOperator(client);

    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec:
          upstream: {environments: [dev]}
          approvals: {required: 1, allowedGroups: [release-managers]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: dev-docker}
        spec: {environment: dev, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: stage-docker}
        spec: {environment: stage, type: docker, agent: edge-01, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-1}
        spec:
          version: 1.0.0
          components:
            - {name: api, image: registry.example.com/shop/api, digest: %s}
        """
            .formatted(D1));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    server.close();
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

  static Promotion promote(KubernetesClient as, String name, String environment) {
    return promote(as, name, environment, "shop-1");
  }

  static Promotion promote(KubernetesClient as, String name, String environment, String release) {
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: %s}
        """
            .formatted(name, release, environment);
    // The API server may take a moment to start calling a newly registered webhook.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> {
          as.resource(yaml).inNamespace(NS).create();
          return true;
        });
    return client.resources(Promotion.class).inNamespace(NS).withName(name).get();
  }

  static Approval approve(KubernetesClient as, String name, String promotion) {
    as.resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: Approval
            metadata: {name: %s}
            spec: {promotion: %s, decision: approve}
            """
                .formatted(name, promotion))
        .inNamespace(NS)
        .create();
    return client.resources(Approval.class).inNamespace(NS).withName(name).get();
  }

  @Test
  void stampsWhoRequestedAPromotion() {
    try (var alice = as("alice@example.com", "shop-developers")) {
      Promotion p = promote(alice, "stamped", "dev");
      assertThat(p.getSpec().requestedBy().username()).isEqualTo("alice@example.com");
      assertThat(p.getSpec().requestedBy().groups())
          .contains("shop-developers", "system:authenticated");
    }
  }

  @Test
  void rejectsAForgedRequester() {
    try (var alice = as("alice@example.com", "shop-developers")) {
      promote(alice, "warm-up", "dev");
      assertThatThrownBy(() ->
              alice
                  .resource(
                      """
                      apiVersion: stellaops.io/v1alpha1
                      kind: Promotion
                      metadata: {name: forged}
                      spec: {release: shop-1, environment: dev, requestedBy: {username: bob@example.com}}
                      """)
                  .inNamespace(NS)
                  .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("denied the request")
          .hasMessageContaining(
              "spec.requestedBy: is set by Stella Operator from your authenticated Kubernetes identity");
    }
  }

  @Test
  void refusesABreakGlassTypeTheEnvironmentDoesNotAllow() {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: hotfix}
        spec:
          breakGlass: {allowedTypes: [Rollback], approvals: {required: 1, allowedGroups: [sre]}}
        """);
    try (var alice = as("alice@example.com", "shop-developers")) {
      String promotion =
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Promotion
          metadata: {name: %s}
          spec:
            release: shop-1
            environment: %s
            breakGlass: {type: %s, justification: "the outage needs this now"}
          """;
      assertThatThrownBy(() ->
              alice
                  .resource(promotion.formatted("glass-dev", "dev", "Rollback"))
                  .inNamespace(NS)
                  .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining(
              "spec.breakGlass.type: Environment dev allows no break-glass (its spec.breakGlass is"
                  + " not set)");
      assertThatThrownBy(() ->
              alice
                  .resource(promotion.formatted("glass-fix", "hotfix", "SecurityFix"))
                  .inNamespace(NS)
                  .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining(
              "spec.breakGlass.type: Environment hotfix does not allow break-glass SecurityFix;"
                  + " it allows [Rollback]");
      assertThat(
              alice
                  .resource(promotion.formatted("glass-rollback", "hotfix", "Rollback"))
                  .inNamespace(NS)
                  .create())
          .isNotNull();
    }
  }

  @Test
  void warnsOfAReleaseOrEnvironmentThatDoesNotExistYet() {
    var request =
        new io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder()
            .withUid("1")
            .withOperation("CREATE")
            .withNamespace(NS)
            .withUserInfo(
                new io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder()
                    .withUsername("alice@example.com")
                    .build())
            .withObject(
                client
                    .getKubernetesSerialization()
                    .unmarshal(
                        """
                        apiVersion: stellaops.io/v1alpha1
                        kind: Promotion
                        metadata: {name: early, namespace: shop}
                        spec: {release: shop-9, environment: qa}
                        """,
                        Promotion.class))
            .build();
    var response = new PromotionAdmission(client).handle(request);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings())
        .containsExactly(
            "Release shop-9 does not exist in namespace shop; the promotion waits, Stalled, until"
                + " it does",
            "Environment qa does not exist in namespace shop; the promotion waits, Stalled, until"
                + " it does");
  }

  @Test
  void rejectsAForgedApproverAndSubjectTogether() {
    try (var bob = as("bob@example.com", "release-managers")) {
      promote(bob, "for-forgery", "dev");
      assertThatThrownBy(() ->
              bob.resource(
                      """
                      apiVersion: stellaops.io/v1alpha1
                      kind: Approval
                      metadata: {name: forged}
                      spec:
                        promotion: for-forgery
                        decision: approve
                        approver: {username: carol@example.com}
                        subject: {release: shop-1, environment: prod}
                      """)
                  .inNamespace(NS)
                  .create())
          .hasMessageContaining("spec.approver: is set by Stella Operator")
          .hasMessageContaining("spec.subject: is set by Stella Operator");
    }
  }

  @Test
  void rejectsAnApprovalOfAnUnknownPromotion() {
    try (var bob = as("bob@example.com", "release-managers")) {
      promote(bob, "warm-up-2", "dev");
      assertThatThrownBy(() -> approve(bob, "orphan", "no-such-promotion"))
          .hasMessageContaining(
              "spec.promotion: Promotion no-such-promotion does not exist in namespace shop");
    }
  }

  @Test
  void onlyAnAllowedApproverOtherThanTheRequesterCounts() {
    try (var alice = as("alice@example.com", "shop-developers", "release-managers");
        var mallory = as("mallory@example.com", "contractors");
        var bob = as("bob@example.com", "release-managers")) {
      promote(alice, "shop-1-to-dev", "dev");
      awaitPhase(client, NS, "shop-1-to-dev", Phase.Deploying);
      completeJobs(client, NS, "shop-1-to-dev");
      awaitPhase(client, NS, "shop-1-to-dev", Phase.Succeeded);

      promote(alice, "shop-1-to-stage", "stage");
      awaitPhase(client, NS, "shop-1-to-stage", Phase.AwaitingApproval);

      // self-approval can never count here: refused when it is made, saying so
      assertThatThrownBy(() -> approve(alice, "alice-approves", "shop-1-to-stage"))
          .hasMessageContaining(
              "spec.promotion: alice@example.com requested promotion shop-1-to-stage and"
                  + " Environment stage does not allow self-approval"
                  + " (spec.approvals.allowSelfApproval); ask another approver");
      Approval outsider = approve(mallory, "mallory-approves", "shop-1-to-stage");
      assertThat(outsider.getSpec().approver().username()).isEqualTo("mallory@example.com");
      assertThat(outsider.getSpec().subject().digestsHash()).isEqualTo(DigestSet.hash(List.of(D1)));
      assertThat(outsider.getSpec().subject().environment()).isEqualTo("stage");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(notCounted("shop-1-to-stage")).hasSize(1));
      assertThat(notCounted("shop-1-to-stage"))
          .singleElement()
          .satisfies(m -> assertThat(m).contains("mallory@example.com is not an allowed approver"));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> {
            var status =
                client
                    .resources(Approval.class)
                    .inNamespace(NS)
                    .withName("mallory-approves")
                    .get()
                    .getStatus();
            assertThat(status.getCounted()).isFalse();
            assertThat(status.getReason()).isEqualTo("NotAllowed");
          });
      assertThat(
              client
                  .resources(Promotion.class)
                  .inNamespace(NS)
                  .withName("shop-1-to-stage")
                  .get()
                  .getStatus()
                  .getPhase())
          .isEqualTo(Phase.AwaitingApproval);

      approve(bob, "bob-approves", "shop-1-to-stage");
      Promotion deploying = awaitPhase(client, NS, "shop-1-to-stage", Phase.Deploying);
      assertThat(deploying.getStatus().getApprovals().approvedBy())
          .containsExactly("bob@example.com");
      assertThatThrownBy(() -> approve(bob, "too-late", "shop-1-to-dev"))
          .hasMessageContaining(
              "spec.promotion: Promotion shop-1-to-dev has ended (Succeeded); an approval can no"
                  + " longer count");
    }
  }

  @Test
  void aQuarantinedReleaseIsNeverPromotedAndStaysQuarantined() {
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-bad}
        spec:
          version: 6.6.6
          components: [{name: api, image: registry.example.com/shop/api, digest: sha256:%s}]
        """
            .formatted("6".repeat(64)));
    try (var alice = as("alice@example.com", "release-managers")) {
      var releases = alice.resources(Release.class).inNamespace(NS).withName("shop-bad");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .untilAsserted(() -> {
            releases.edit(r -> {
              r.getMetadata()
                  .getAnnotations()
                  .put(ReleaseAnnotations.QUARANTINE, "ships CVE-2026-1234");
              return r;
            });
            assertThat(releases.get().getMetadata().getAnnotations())
                .containsEntry(ReleaseAnnotations.QUARANTINED_BY, "alice@example.com");
          });

      promote(alice, "shop-bad-to-dev", "dev", "shop-bad");
      Promotion denied = awaitPhase(client, NS, "shop-bad-to-dev", Phase.Denied);
      assertThat(denied.getStatus().getDecision().reasons().get(0))
          .startsWith(
              "quarantine: release is quarantined: ships CVE-2026-1234 (by alice@example.com at ");

      assertThatThrownBy(() ->
              releases.edit(r -> {
                r.getMetadata().getAnnotations().remove(ReleaseAnnotations.QUARANTINE);
                return r;
              }))
          .hasMessageContaining("a quarantined release stays quarantined");
      assertThatThrownBy(() ->
              releases.edit(r -> {
                r.getMetadata()
                    .getAnnotations()
                    .put(ReleaseAnnotations.QUARANTINED_BY, "mallory@example.com");
                return r;
              }))
          .hasMessageContaining("is set by Stella Operator when the release is quarantined");
    }
  }

  private static List<String> notCounted(String promotion) {
    var status =
        client.resources(Promotion.class).inNamespace(NS).withName(promotion).get().getStatus();
    return status == null
            || status.getApprovals() == null
            || status.getApprovals().notCounted() == null
        ? List.of()
        : status.getApprovals().notCounted();
  }
}
