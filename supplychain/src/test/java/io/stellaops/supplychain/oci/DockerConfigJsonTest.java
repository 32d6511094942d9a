package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerConfigJsonTest {
  static DockerConfigJson parse(String json) {
    return DockerConfigJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAuthAndUsernamePasswordEntriesByHost() {
    var config =
        parse(
            """
            {"auths": {
              "https://index.docker.io/v1/": {"auth": "dXNlcjpwYXNzOndvcmQ="},
              "127.0.0.1:5000": {"username": "robot", "password": "s3cret"}
            }}
            """);
    assertThat(config.forRegistry("docker.io"))
        .contains(new RegistryClient.Credentials("user", "pass:word"));
    assertThat(config.forRegistry("127.0.0.1:5000"))
        .contains(new RegistryClient.Credentials("robot", "s3cret"));
    assertThat(config.forRegistry("ghcr.io")).isEqualTo(Optional.empty());
  }

  @Test
  void saysWhatIsWrong() {
    assertThatThrownBy(() -> parse("{}")).hasMessage("no \"auths\" object");
    assertThatThrownBy(() -> parse("{\"auths\": {\"r.io\": {\"auth\": \"bm9jb2xvbg==\"}}}"))
        .hasMessage("auths.r.io.auth is not base64 of user:password");
    assertThatThrownBy(() -> parse("not json")).hasMessageStartingWith("not JSON");
  }
}
