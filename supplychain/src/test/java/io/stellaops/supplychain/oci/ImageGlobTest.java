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

  /** 128 double stars against a long name that never matches: a regex of .* takes forever here. */
  @Test
  void aGlobOfManyStarsIsDecidedWithoutBacktracking() {
    var glob = ImageGlob.compile("registry.example.com/" + "**a".repeat(120) + "**b");
    assertThat(glob.matches("registry.example.com/" + "a".repeat(230))).isFalse();
    assertThat(glob.matches("registry.example.com/" + "a".repeat(229) + "b")).isTrue();
  }

  /** Agrees with the regular-expression reading ([^/]* and .*) on random globs and names. */
  @Test
  void agreesWithTheRegularExpressionReading() {
    var random = new java.util.Random(20261130);
    for (int i = 0; i < 20_000; i++) {
      String glob = "r.io/" + text(random, "ab/*", 8);
      StringBuilder name = new StringBuilder("r.io");
      for (int segments = 1 + random.nextInt(3); segments > 0; segments--) {
        name.append('/').append("a").append(text(random, "ab", 2)); // valid names only
      }
      StringBuilder regex = new StringBuilder("^");
      for (int c = 0; c < glob.length(); c++) {
        if (glob.startsWith("**", c)) {
          regex.append(".*");
          c++;
        } else if (glob.charAt(c) == '*') {
          regex.append("[^/]*");
        } else {
          regex.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(c))));
        }
      }
      boolean expected = java.util.regex.Pattern.matches(regex + "$", name);
      String named = name.toString();
      assertThat(ImageGlob.compile(glob).matches(named))
          .as(glob + " ~ " + named)
          .isEqualTo(expected);
    }
  }

  private static String text(java.util.Random random, String alphabet, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
