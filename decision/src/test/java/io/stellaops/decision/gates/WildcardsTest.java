package io.stellaops.decision.gates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WildcardsTest {
  @Test
  void matchesWholeValuesWithStarsForAnyRun() {
    assertThat(
            Wildcards.matches("https://github.com/actions/*", "https://github.com/actions/runner"))
        .isTrue();
    assertThat(Wildcards.matches("https://github.com/actions/*", "https://gitlab.com/actions/x"))
        .isFalse();
    assertThat(Wildcards.matches("refs/tags/v*", "refs/tags/v1.2.3")).isTrue();
    assertThat(Wildcards.matches("refs/tags/v*", "refs/heads/v1")).isFalse();
    assertThat(Wildcards.matches("*", "")).isTrue();
    assertThat(Wildcards.matches("", "x")).isFalse();
    assertThat(Wildcards.matches("a*b*c", "a/b/c")).isTrue();
    assertThat(Wildcards.matches("a.b", "axb")).isFalse(); // no regular expression
  }

  /** 256 stars against 512 characters that never match: a regex of .* takes forever here. */
  @Test
  void aPatternOfManyStarsIsDecidedWithoutBacktracking() {
    String pattern = "*a".repeat(255) + "*b";
    assertThat(Wildcards.matches(pattern, "a".repeat(512))).isFalse();
    assertThat(Wildcards.matches(pattern, "a".repeat(511) + "b")).isTrue();
  }

  /** Agrees with the regular expression it replaced on random short patterns and values. */
  @Test
  void agreesWithTheRegularExpressionReading() {
    Random random = new Random(20261130);
    String alphabet = "ab/*";
    for (int i = 0; i < 20_000; i++) {
      String pattern = text(random, alphabet, 8);
      String value = text(random, "ab/", 10);
      StringBuilder regex = new StringBuilder();
      for (String literal : pattern.split("\\*", -1)) {
        regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(literal));
      }
      boolean expected = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
      assertThat(Wildcards.matches(pattern, value)).as(pattern + " ~ " + value).isEqualTo(expected);
    }
  }

  private static String text(Random random, String alphabet, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
