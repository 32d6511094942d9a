package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void everySpellingOfANameIsOne() {
    assertThat(ImageReference.normalise("nginx")).isEqualTo("docker.io/library/nginx");
    assertThat(ImageReference.normalise("docker.io/nginx")).isEqualTo("docker.io/library/nginx");
    assertThat(ImageReference.normalise("index.docker.io/library/nginx"))
        .isEqualTo("docker.io/library/nginx");
    assertThat(ImageReference.normalise("registry-1.docker.io/team/app"))
        .isEqualTo("docker.io/team/app");
    assertThat(ImageReference.normalise("team/app")).isEqualTo("docker.io/team/app");
    assertThat(ImageReference.normalise("Registry.Example.COM/shop/app"))
        .isEqualTo("registry.example.com/shop/app");
    assertThat(ImageReference.normalise("127.0.0.1:026000/app")).isEqualTo("127.0.0.1:26000/app");
    assertThat(ImageReference.normalise("LOCALHOST:5000/app")).isEqualTo("localhost:5000/app");
    assertThat(ImageReference.normalise("[::1]:5000/app")).isEqualTo("[::1]:5000/app");
  }

  @Test
  void refusesWhatNoRegistryServes() {
    assertThatThrownBy(() -> ImageReference.parse("registry.example.com/Shop/app"))
        .hasMessageContaining("\"Shop\" is not lower-case");
    assertThatThrownBy(() -> ImageReference.parse("registry.example.com:99999/app"))
        .hasMessageContaining("\"99999\" is not a port");
    assertThatThrownBy(() -> ImageReference.parse("registry.example.com:/app"))
        .hasMessageContaining("is not a port");
    assertThatThrownBy(() -> ImageReference.parse("registry.example.com//app"))
        .hasMessageContaining("\"\" is not lower-case");
    assertThatThrownBy(() -> ImageReference.parse(" ")).hasMessageContaining("empty");
  }
}
