package io.stellaops.controllers.gatepolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.gatepolicy.GatePolicy;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@EnableKubeAPIServer
class GatePolicyReconcilerIT {
  static KubernetesClient client;
  static Operator operator;

  @BeforeAll
  static void startOperator() throws Exception {
    KubeApiServerSupport.installCrd(client, "gatepolicies");
    operator = new Operator(o -> o.withKubernetesClient(client));
    operator.register(new GatePolicyReconciler(Clock.systemUTC()));
    operator.start();
  }

  @AfterAll
  static void stopOperator() {
    operator.stop();
  }

  private static void apply(String yaml) {
    client.resource(yaml).inNamespace("default").forceConflicts().serverSideApply();
  }

  private static GatePolicy awaitObserved(String name, long generation) {
    var resource = client.resources(GatePolicy.class).inNamespace("default").withName(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          var p = resource.get();
          return p.getStatus() != null
              && Long.valueOf(generation).equals(p.getStatus().getObservedGeneration());
        });
    return resource.get();
  }

  private static Condition condition(GatePolicy policy, String type) {
    return policy.getStatus().getConditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void validPolicyBecomesReadyWithItsDigest() {
    apply(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: production}
        spec:
          rules:
            - {name: no-prereleases, expression: "!release.version.contains('-')", message: no pre-releases}
            - {name: small, expression: "size(release.components) <= 5", message: too big, action: warn}
        """);
    GatePolicy policy = awaitObserved("production", 1);
    assertThat(condition(policy, ConditionTypes.READY).status()).isEqualTo(Condition.Status.TRUE);
    assertThat(policy.getStatus().getRuleCount()).isEqualTo(2);
    assertThat(policy.getStatus().getPolicyDigest()).matches("sha256:[a-f0-9]{64}");
    assertThat(policy.getStatus().getConditions())
        .extracting(Condition::type)
        .containsExactly(ConditionTypes.READY);
  }

  @Test
  void brokenRuleStallsThePolicyUntilFixed() {
    String broken =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: broken}
        spec:
          rules:
            - {name: typo, expression: "relase.version == '1.0.0'", message: m}
            - {name: field, expression: "release.verison == '1.0.0'", message: m}
        """;
    apply(broken);
    GatePolicy stalled = awaitObserved("broken", 1);
    assertThat(condition(stalled, ConditionTypes.STALLED).message())
        .contains("rule typo:")
        .contains("undeclared reference to 'relase'")
        .contains("rule field:")
        .contains("undefined field 'verison'");
    assertThat(condition(stalled, ConditionTypes.READY).status()).isEqualTo(Condition.Status.FALSE);
    assertThat(condition(stalled, ConditionTypes.READY).reason()).isEqualTo("InvalidRule");

    apply(broken.replace("relase", "release").replace("verison", "version"));
    GatePolicy fixed = awaitObserved("broken", 2);
    assertThat(condition(fixed, ConditionTypes.READY).status()).isEqualTo(Condition.Status.TRUE);
    assertThat(fixed.getStatus().getConditions())
        .extracting(Condition::type)
        .doesNotContain(ConditionTypes.STALLED);
  }
}
