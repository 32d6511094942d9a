package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.AgentRuntime;
import io.stellaops.agents.AgentTestSupport;
import io.stellaops.crds.agent.Agent;
import io.stellaops.operator.LocalOperator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm charts with the real helm CLI (STELLA_HELM, built by hack/peers/build-tools.sh helm):
 * lint, CRDs identical to crds/generated, install into a real API server, and the operator run with
 * nothing but the chart's RBAC (a token of the chart's ServiceAccount) becomes ready.
 */
@EnableKubeAPIServer
class HelmChartE2E {
  static final Path CHARTS = Path.of("..", "charts");
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  static String helm(String... args) throws Exception {
    return Helm.run(kubeConfigYaml, args);
  }

  @Test
  void chartsLintAndCarryTheGeneratedCrds() throws Exception {
    helm("lint", CHARTS.resolve("stella-operator").toString(), "--strict");
    helm(
        "lint",
        CHARTS.resolve("stella-agent").toString(),
        "--strict",
        "--set",
        "agent.name=edge-01");
    Path generated = Path.of("..", "crds", "generated");
    Path inChart = CHARTS.resolve("stella-operator").resolve("crds");
    try (Stream<Path> a = Files.list(generated);
        Stream<Path> b = Files.list(inChart)) {
      assertThat(b.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(a.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Stream<Path> files = Files.list(generated)) {
      for (Path crd : files.toList()) {
        assertThat(inChart.resolve(crd.getFileName()))
            .as("charts/stella-operator/crds must equal crds/generated (hack/update-generated.sh)")
            .hasSameBinaryContentAs(crd);
      }
    }
  }

  @Test
  void installsAndTheOperatorRunsWithTheChartsRbacAlone() throws Exception {
    helm(
        "install",
        "stella-operator",
        CHARTS.resolve("stella-operator").toString(),
        "--namespace",
        "stella-system",
        "--create-namespace",
        "--set",
        "ha.enabled=true",
        "--set",
        "replicaCount=2");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("stella-system")
                .withName("stella-operator")
                .get())
        .isNotNull();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("promotions.stellaops.io")
                .get())
        .isNotNull();

    KubernetesClient asChart =
        AgentTestSupport.clientWithToken(
            client, AgentTestSupport.tokenOf(client, "stella-system", "stella-operator"), null);
    try (LocalOperator operator =
        LocalOperator.start(
            asChart,
            "stella-system",
            Map.of(
                "STELLA_WEBHOOK_CERT_SECRET", "stella-operator-webhook-tls",
                "STELLA_LEADER_ELECTION", "true"))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() ->
              assertThat(operator.get("/health/readiness").body()).contains("\"status\":\"UP\""));
    }

    helm(
        "install",
        "edge",
        CHARTS.resolve("stella-agent").toString(),
        "--namespace",
        "edge",
        "--create-namespace",
        "--set",
        "agent.name=edge-01",
        "--set",
        "agent.capabilities={docker,compose}");
    Agent agent = client.resources(Agent.class).inNamespace("edge").withName("edge-01").get();
    assertThat(agent.getSpec().serviceAccountName()).isEqualTo("edge-01-agent");
    Role shipped;
    try (InputStream in = AgentRuntime.class.getResourceAsStream("agent-role.yaml")) {
      shipped = client.getKubernetesSerialization().unmarshal(in, Role.class);
    }
    List<PolicyRule> installed =
        client.rbac().roles().inNamespace("edge").withName("edge-01-agent").get().getRules();
    assertThat(installed)
        .as("the agent chart's Role is the one docs/agents.md ships")
        .isEqualTo(shipped.getRules());
  }
}
