package io.stellaops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.promotion.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shop the CLI suites work on: Environments dev and stage (after dev), a Docker Target in dev,
 * Releases r1 and r2 of one image; r1 promoted to dev and succeeded, r2 denied in stage.
 */
final class ShopFixture {
  static final String NS = "shop";
  static final String D1 = "sha256:" + "1".repeat(64);

  private ShopFixture() {}

  /** A kubeconfig file for the CLI, from kube-api-test's. */
  static Path kubeconfig(String yaml) throws IOException {
    Path file = Files.createTempFile("stella-cli", ".kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }

  /** {@code kubectl stella --kubeconfig … -n shop args}. */
  static CliRun inShop(Path kubeconfig, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString(), "-n", NS));
    all.addAll(List.of(args));
    return CliRun.stella(all.toArray(String[]::new));
  }

  static void environmentsAndReleases(KubernetesClient client) {
    PromotionTestSupport.apply(
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

  /** r1 into dev (its job reported done: Succeeded), r2 into stage (Denied: not in dev). */
  static void promoteR1ToDevAndR2ToStage(KubernetesClient client) {
    PromotionTestSupport.promote(client, NS, "r1-to-dev", "r1", "dev");
    PromotionTestSupport.awaitPhase(client, NS, "r1-to-dev", Phase.Deploying);
    PromotionTestSupport.completeJobs(client, NS, "r1-to-dev");
    PromotionTestSupport.awaitPhase(client, NS, "r1-to-dev", Phase.Succeeded);
    PromotionTestSupport.promote(client, NS, "r2-to-stage", "r2", "stage");
    PromotionTestSupport.awaitPhase(client, NS, "r2-to-stage", Phase.Denied);
  }
}
