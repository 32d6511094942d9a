package io.stellaops.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.stellaops.crds.promotion.Promotion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A backlog for the benchmarks: {@code p0 … pN-1}, each an ended (Denied) Promotion of r-old into
 * prod with one DeploymentJob and the EvidencePacket {@code packet} writes for its name, created by
 * 8 clients at once.
 */
public final class EndedPromotions {
  public static final String DIGEST = "sha256:" + "1".repeat(64);

  private EndedPromotions() {}

  public static void create(
      KubernetesClient client, String namespace, int count, Function<String, String> packet)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "p" + i;
      done.add(
          pool.submit(() -> {
            client
                .resource(
                    """
                    apiVersion: stellaops.io/v1alpha1
                    kind: Promotion
                    metadata: {name: %s, namespace: %s}
                    spec: {release: r-old, environment: prod}
                    """
                        .formatted(name, namespace))
                .create();
            client
                .resources(Promotion.class)
                .inNamespace(namespace)
                .withName(name)
                .subresource("status")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Denied\"}}");
            client
                .resource(
                    """
                    apiVersion: stellaops.io/v1alpha1
                    kind: DeploymentJob
                    metadata: {name: %1$s-job, namespace: %2$s}
                    spec:
                      promotion: %1$s
                      target: prod-docker
                      agent: edge
                      action: deploy
                      release: r-old
                      version: 1.0.0
                      components: [{name: api, image: registry.example.com/shop/api, digest: %3$s}]
                    """
                        .formatted(name, namespace, DIGEST))
                .create();
            client.resource(packet.apply(name)).inNamespace(namespace).create();
            return null;
          }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }
}
