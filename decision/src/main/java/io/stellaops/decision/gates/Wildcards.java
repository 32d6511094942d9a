package io.stellaops.decision.gates;

/**
 * Allow-list patterns of gates: the whole value must match, {@code *} matches any run of characters
 * ({@code /} included, since builder ids and repositories are URIs). Hand-written: one rule,
 * matched in time proportional to pattern × value (a regular expression of many {@code .*}
 * backtracks exponentially on a value that does not match).
 */
final class Wildcards {
  private Wildcards() {}

  static boolean matches(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1; // the pattern index after the last '*' seen
    int resume = 0; // where in value that '*' took over
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = ++p;
        resume = v;
      } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (star >= 0) {
        p = star; // the '*' takes one more character
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
