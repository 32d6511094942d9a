package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tag and digest resolution against a real registry (Debian docker-registry). */
class RegistryClientIT {
  static LocalRegistry registry;
  final RegistryClient client = new RegistryClient(Duration.ofSeconds(5));

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void resolvesATagToTheDigestJibPushed() throws Exception {
    String image = registry.host() + "/shop/api";
    String pushed = TestImages.push(image + ":1.4.2", "shop api 1.4.2");
    var manifest = client.manifest(image, "1.4.2", Optional.empty());
    assertThat(manifest.digest()).isEqualTo(pushed);
    assertThat(manifest.mediaType())
        .isIn(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    assertThat(client.manifest(image, pushed, Optional.empty()).digest()).isEqualTo(pushed);
  }

  @Test
  void pushesAnArtifactOnceAndReadsItBack() throws Exception {
    String repo = registry.host() + "/archive/evidence";
    byte[] content = "an archived bundle".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String digest =
        client.pushArtifact(
            repo,
            "shop.EvidencePacket.p1",
            "application/vnd.stellaops.ilm.archive.v1",
            "application/vnd.stellaops.bundle.v1.tar",
            content,
            java.util.Map.of("stellaops.io/object", "EvidencePacket shop/p1"),
            Optional.empty());
    assertThat(client.manifest(repo, "shop.EvidencePacket.p1", Optional.empty()).digest())
        .isEqualTo(digest);
    assertThat(client.firstLayer(repo + "@" + digest, Optional.empty())).isEqualTo(content);
    assertThat(
            client.pushArtifact(
                repo,
                "shop.EvidencePacket.p1",
                "application/vnd.stellaops.ilm.archive.v1",
                "application/vnd.stellaops.bundle.v1.tar",
                content,
                java.util.Map.of("stellaops.io/object", "EvidencePacket shop/p1"),
                Optional.empty()))
        .as("the same content pushed again is the same artifact")
        .isEqualTo(digest);
  }

  @Test
  void pushesArtifactsInParallelAndAgainAfterTheRegistryLostTheRepository() throws Exception {
    String repo = registry.host() + "/archive/parallel";
    List<Future<String>> pushes = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        String tag = "o" + i;
        byte[] content = ("bundle " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        pushes.add(pool.submit(() -> push(repo, tag, content)));
      }
      for (Future<String> push : pushes) {
        assertThat(push.get()).startsWith("sha256:");
      }
    }
    registry.forget("archive/parallel");
    byte[] content =
        "pushed after the registry forgot".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String digest = push(repo, "again", content);
    assertThat(client.firstLayer(repo + "@" + digest, Optional.empty())).isEqualTo(content);
  }

  private String push(String repo, String tag, byte[] content) {
    return client.pushArtifact(
        repo,
        tag,
        "application/vnd.stellaops.ilm.archive.v1",
        "application/vnd.stellaops.bundle.v1.tar",
        content,
        java.util.Map.of(),
        Optional.empty());
  }

  @Test
  void aMovedTagResolvesToTheNewDigest() throws Exception {
    String image = registry.host() + "/shop/worker";
    String first = TestImages.push(image + ":latest", "worker v1");
    String second = TestImages.push(image + ":latest", "worker v2");
    assertThat(second).isNotEqualTo(first);
    assertThat(client.manifest(image, "latest", Optional.empty()).digest()).isEqualTo(second);
    assertThat(client.manifest(image, first, Optional.empty()).digest()).isEqualTo(first);
  }

  @Test
  void quotesTheRegistryWhenATagIsUnknown() {
    assertThatThrownBy(
            () -> client.manifest(registry.host() + "/shop/api", "9.9.9", Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("registry answered 404")
        .hasMessageContaining("MANIFEST_UNKNOWN");
  }

  @Test
  void speaksPlainHttpOnlyToRegistriesListedAsInsecure() throws Exception {
    // this host's name: not loopback to the client's eyes, so HTTPS unless listed
    String name = InetAddress.getLocalHost().getHostName();
    try (var named = LocalRegistry.startOn(InetAddress.getByName(name).getHostAddress())) {
      String pushed = TestImages.push(named.host() + "/plain/app:1", "plain http");
      String image = name + ":" + named.port() + "/plain/app";
      assertThatThrownBy(() -> client.manifest(image, "1", Optional.empty()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("over HTTPS")
          .hasMessageContaining("STELLA_INSECURE_REGISTRIES");
      var insecure = new RegistryClient(Duration.ofSeconds(5), Set.of(name + ":" + named.port()));
      assertThat(insecure.manifest(image, "1", Optional.empty()).digest()).isEqualTo(pushed);
    }
  }

  @Test
  void saysWhenTheRegistryCannotBeReached() {
    assertThatThrownBy(() -> client.manifest("127.0.0.1:1/shop/api", "1.0.0", Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("cannot reach 127.0.0.1:1");
  }
}
