package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Bearer flow of the distribution spec against Debian's docker-registry with token auth: the
 * client answers the challenge at the token endpoint with its credentials, and reuses a token for
 * the repository and access until it expires, so a run of reads costs one token, not one each.
 */
class TokenAuthIT {
  @Test
  void aTokenServesEveryRequestOfItsRepositoryAndAccessUntilItExpires() throws Exception {
    try (var tokens = LocalTokenServer.start("ci", "s3cret");
        var registry = LocalRegistry.startWithTokenAuth(tokens)) {
      var client = new RegistryClient(Duration.ofSeconds(5));
      var credentials = Optional.of(new RegistryClient.Credentials("ci", "s3cret"));
      String repository = registry.host() + "/shop/notes";
      byte[] content = "release notes".getBytes(StandardCharsets.UTF_8);
      String digest =
          client.pushArtifact(
              repository,
              "v1",
              "application/vnd.example.notes",
              "text/plain",
              content,
              Map.of(),
              credentials);
      long afterPush = tokens.issued();
      assertThat(afterPush).as("one token to push, one to pull (the config's HEAD)").isEqualTo(2);

      for (int i = 0; i < 10; i++) {
        assertThat(client.manifest(repository, "v1", credentials).digest()).isEqualTo(digest);
        assertThat(client.firstLayer(repository + "@" + digest, credentials)).isEqualTo(content);
      }

      assertThat(tokens.issued()).as("the pull token is reused").isEqualTo(afterPush);
      assertThat(client.tokenRequests()).isEqualTo(afterPush);
      assertThatThrownBy(() -> client.manifest(repository, "v1", Optional.empty()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("token endpoint answered 401");
      assertThatThrownBy(() ->
              client.manifest(
                  repository, "v1", Optional.of(new RegistryClient.Credentials("ci", "wrong"))))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("token endpoint answered 401");
      assertThat(client.manifest(repository, "v1", credentials).digest())
          .as("the right credentials still reuse their token")
          .isEqualTo(digest);
      assertThat(tokens.issued()).isEqualTo(afterPush);
    }
  }
}
