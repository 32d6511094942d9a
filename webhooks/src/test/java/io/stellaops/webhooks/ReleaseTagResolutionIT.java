package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tags are resolved to digests at admission, against a real registry, by the real API server's
 * call.
 */
@EnableKubeAPIServer
class ReleaseTagResolutionIT {
  static final String NS = "shop";
  static KubernetesClient client;
  static LocalRegistry registry;
  static AdmissionServer server;
  static String apiDigest;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    registry = LocalRegistry.start();
    apiDigest = TestImages.push(registry.host() + "/shop/api:1.4.2", "shop api 1.4.2");
    server =
        LoopbackAdmission.start(
            client, Map.of(ReleaseAdmission.PATH, LoopbackAdmission.releaseAdmission(client)));
  }

  @AfterAll
  static void tearDown() {
    server.close();
    registry.close();
  }

  static String release(String name, String... components) {
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: Release
    metadata: {name: %s, namespace: shop}
    spec:
      version: 1.0.0
      components:
    %s
    """
        .formatted(name, String.join("\n", components));
  }

  @Test
  void storesTheDigestATagPointsToAndKeepsTheTag() {
    String yaml =
        release(
            "by-tag",
            "    - {name: api, image: %s/shop/api, tag: 1.4.2}".formatted(registry.host()));
    // The API server may take a moment to start calling a newly registered webhook.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> {
          client.resources(Release.class).inNamespace(NS).withName("by-tag").delete();
          client.resource(yaml).create();
          var c =
              client
                  .resources(Release.class)
                  .inNamespace(NS)
                  .withName("by-tag")
                  .get()
                  .getSpec()
                  .components()
                  .get(0);
          return apiDigest.equals(c.digest());
        });
    var component =
        client
            .resources(Release.class)
            .inNamespace(NS)
            .withName("by-tag")
            .get()
            .getSpec()
            .components()
            .get(0);
    assertThat(component.tag()).isEqualTo("1.4.2");
    assertThat(component.digest()).isEqualTo(apiDigest);
  }

  @Test
  void deniesEveryTagTheRegistryDoesNotKnowQuotingIt() {
    String yaml =
        release(
            "unknown-tag",
            "    - {name: api, image: %s/shop/api, tag: 1.4.2}".formatted(registry.host()),
            "    - {name: worker, image: %s/shop/worker, tag: 9.9.9}".formatted(registry.host()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() ->
            assertThatThrownBy(() -> client.resource(yaml).create())
                .hasMessageContaining(
                    "spec.components[1]: cannot resolve "
                        + registry.host()
                        + "/shop/worker:9.9.9 to a digest")
                .hasMessageContaining("MANIFEST_UNKNOWN"));
  }

  @Test
  void deniesWhenTheRegistryCannotBeReached() {
    String yaml =
        release("unreachable", "    - {name: api, image: 127.0.0.1:1/shop/api, tag: 1.0.0}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() ->
            assertThatThrownBy(() -> client.resource(yaml).create())
                .hasMessageContaining(
                    "spec.components[0]: cannot resolve 127.0.0.1:1/shop/api:1.0.0 to a digest: cannot reach 127.0.0.1:1"));
  }

  @Test
  void leavesAComponentGivenByDigestAsItIs() {
    String yaml =
        release(
            "by-digest",
            "    - {name: api, image: %s/shop/api, tag: 1.4.2, digest: %s}"
                .formatted(registry.host(), apiDigest));
    client.resource(yaml).create();
    var component =
        client
            .resources(Release.class)
            .inNamespace(NS)
            .withName("by-digest")
            .get()
            .getSpec()
            .components()
            .get(0);
    assertThat(component.digest()).isEqualTo(apiDigest);
  }
}
