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
}
