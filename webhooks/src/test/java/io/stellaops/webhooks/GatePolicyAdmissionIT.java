package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.webhooks.gatepolicy.GatePolicyAdmission;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GatePolicy rules are type-checked when applied, through the real API server: a misspelt field, a
 * type mismatch or a non-boolean rule is refused naming the rule's field path, with the CEL message
 * and caret; a policy stored before the check can still be edited elsewhere.
 */
@EnableKubeAPIServer
class GatePolicyAdmissionIT {
  static final String NS = "policies";
  static KubernetesClient client;
  static AdmissionServer server;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    // stored before the webhook existed (an upgrade): its rule is not boolean
    PromotionTestSupport.apply(client, NS, policy("legacy", "release.version"));
    server =
        LoopbackAdmission.start(
            client,
            Map.of(
                GatePolicyAdmission.PATH,
                new GatePolicyAdmission(client.getKubernetesSerialization())),
            true);
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  static String policy(String name, String expression) {
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: GatePolicy
    metadata: {name: %s}
    spec:
      rules:
        - {name: fine, expression: "size(release.components) <= 5", message: m}
        - {name: checked, expression: "%s", message: m}
    """
        .formatted(name, expression);
  }

  static KubernetesClientException refusal(String name, String expression) {
    var thrown =
        assertThatThrownBy(() -> PromotionTestSupport.apply(client, NS, policy(name, expression)))
            .isInstanceOf(KubernetesClientException.class)
            .actual();
    return (KubernetesClientException) thrown;
  }

  @Test
  void misspeltFieldsAreRefusedWithTheFieldPathAndCaret() {
    var refused = refusal("typo", "release.components.all(c, c.findings.critcal == 0)");
    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getStatus().getMessage())
        .contains("GatePolicy typo: spec.rules[1].expression: rule checked:")
        .contains("undefined field 'critcal'")
        .contains("| release.components.all(c, c.findings.critcal == 0)")
        .contains("^")
        .contains("docs/policy.md");
    assertThat(client.resources(GatePolicy.class).inNamespace(NS).withName("typo").get()).isNull();
  }

  @Test
  void nonBooleanRulesAndTypeMismatchesAreRefused() {
    assertThat(refusal("result", "promotion.requestedBy.groups").getStatus().getMessage())
        .contains("spec.rules[1].expression")
        .contains("expected type 'bool' but found 'list(string)'");
    assertThat(refusal("mismatch", "approvals.required > '2'").getStatus().getMessage())
        .contains("no matching overload for '_>_' applied to '(int, string)'");
  }

  @Test
  void rulesThatTypeCheckAreAdmitted() {
    PromotionTestSupport.apply(
        client,
        NS,
        policy("good", "'ops' in promotion.requestedBy.groups || approvals.required >= 2"));
    assertThat(client.resources(GatePolicy.class).inNamespace(NS).withName("good").get())
        .isNotNull();
  }

  @Test
  void aStoredPolicyCanBeEditedWithoutRewritingItsOldRules() {
    var legacy = client.resources(GatePolicy.class).inNamespace(NS).withName("legacy");
    legacy.edit(p -> {
      p.getMetadata().setLabels(Map.of("team", "shop"));
      return p;
    });
    assertThat(legacy.get().getMetadata().getLabels()).containsEntry("team", "shop");
    assertThat(refusal("legacy", "release.verison == '1'").getStatus().getMessage())
        .contains("undefined field 'verison'");
    assertThat(legacy.get().getSpec().rules().get(1).expression()).isEqualTo("release.version");
  }
}
