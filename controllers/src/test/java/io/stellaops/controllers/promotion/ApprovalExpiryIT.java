package io.stellaops.controllers.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.supplychain.digest.DigestSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approvals expire: the operator here runs two hours ahead of the API server, so an approval
 * created now is, to it, older than the environment's one-hour expiry and must not count.
 */
@EnableKubeAPIServer
class ApprovalExpiryIT {
  static final String NS = "shop";
  static final String DIGEST = "sha256:" + "7".repeat(64);
  static KubernetesClient client;
  static Operator operator;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    operator =
        PromotionTestSupport.startOperator(
            client, Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
  }

  @Test
  void anExpiredApprovalDoesNotCount() {
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec:
          approvals: {required: 1, allowedUsers: [alice@example.com], expiry: 1h}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-1}
        spec:
          version: 1.0.0
          components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: shop-1-to-prod}
        spec: {release: shop-1, environment: prod}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Approval
        metadata: {name: shop-1-to-prod-alice}
        spec:
          promotion: shop-1-to-prod
          decision: approve
          approver: {username: alice@example.com}
          subject: {release: shop-1, environment: prod, digestsHash: %s}
        """
            .formatted(DIGEST, DigestSet.hash(List.of(DIGEST))));
    PromotionTestSupport.awaitPhase(client, NS, "shop-1-to-prod", Phase.AwaitingApproval);
    var promotion = client.resources(Promotion.class).inNamespace(NS).withName("shop-1-to-prod");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() ->
            assertThat(promotion.get().getStatus().getApprovals().notCounted())
                .singleElement()
                .asString()
                .startsWith("shop-1-to-prod-alice: expired at "));
    assertThat(promotion.get().getStatus().getPhase()).isEqualTo(Phase.AwaitingApproval);
  }
}
