package io.stellaops.decision.gates;

import java.util.regex.Pattern;

/**
 * Allow-list patterns of gates: the whole value must match, {@code *} matches any run of characters
 * ({@code /} included, since builder ids and repositories are URIs). Hand-written: one rule.
 */
final class Wildcards {
  private Wildcards() {}

  static boolean matches(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (String literal : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(literal));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
  }
}
