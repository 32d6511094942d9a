package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageGlobTest {
  @Test
  void doubleStarCrossesPathSegments() {
    var glob = ImageGlob.compile("registry.example.com/shop/**");
    assertThat(glob.matches("registry.example.com/shop/api")).isTrue();
    assertThat(glob.matches("registry.example.com/shop/team/api")).isTrue();
    assertThat(glob.matches("registry.example.com/shopping/api")).isFalse();
    assertThat(glob.matches("evil.example.com/registry.example.com/shop/api")).isFalse();
  }

  @Test
  void singleStarStaysInOneSegment() {
    var glob = ImageGlob.compile("registry.example.com/*/api");
    assertThat(glob.matches("registry.example.com/shop/api")).isTrue();
    assertThat(glob.matches("registry.example.com/shop/team/api")).isFalse();
  }

  @Test
  void dotsAndPortsAreLiteral() {
    var glob = ImageGlob.compile("127.0.0.1:5000/app");
    assertThat(glob.matches("127.0.0.1:5000/app")).isTrue();
    assertThat(glob.matches("127x0x0x1:5000/app")).isFalse();
  }

  @Test
  void noSpellingOfANameEscapesAGlob() {
    var glob = ImageGlob.compile("127.0.0.1:5000/shop/**");
    assertThat(glob.matches("127.0.0.1:05000/shop/app")).isTrue();
    assertThat(glob.matches("127.0.0.1:005000/shop/app")).isTrue();
    var host = ImageGlob.compile("registry.example.com/shop/*");
    assertThat(host.matches("REGISTRY.example.com/shop/app")).isTrue();
    assertThat(host.matches("registry.example.com/SHOP/app")).as("not a valid name").isFalse();
  }

  @Test
  void globsWithoutARegistryNameDockerHub() {
    assertThat(ImageGlob.compile("nginx").matches("docker.io/library/nginx")).isTrue();
    assertThat(ImageGlob.compile("nginx").matches("index.docker.io/library/nginx")).isTrue();
    assertThat(ImageGlob.compile("docker.io/library/nginx").matches("nginx")).isTrue();
    assertThat(ImageGlob.compile("index.docker.io/*").matches("nginx")).isTrue();
    assertThat(ImageGlob.compile("team/**").matches("docker.io/team/app")).isTrue();
    assertThat(ImageGlob.compile("**").matches("registry.example.com/any/app")).isTrue();
    assertThat(ImageGlob.compile("*/app").matches("docker.io/library/app")).isFalse();
  }
}
