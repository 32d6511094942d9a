package io.stellaops.supplychain.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the API's durations ({@code 90s}, {@code 1h30m}, {@code 1.5h}). Hand-written because
 * java.time reads only ISO-8601 and the API uses the Go syntax Kubernetes users write everywhere.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private static final int MAX_LENGTH = 64;

  private GoDuration() {}

  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      return Duration.ZERO;
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "not a duration: "
              + text.substring(0, 20)
              + "… is "
              + text.length()
              + " characters long");
    }
    Matcher m = PART.matcher(text);
    long nanos = 0;
    int end = 0;
    // each part must start where the last ended: lookingAt() from there, never a scan ahead
    while (end < text.length() && m.region(end, text.length()).lookingAt()) {
      double value = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      double part = value * unit;
      if (part >= Long.MAX_VALUE - nanos) {
        throw new IllegalArgumentException(
            "not a duration: " + text + " is longer than 292 years, the longest one supported");
      }
      nanos += Math.round(part);
      end = m.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException(
          "not a duration: " + text + " (expected e.g. 90s, 15m, 2h30m)");
    }
    return Duration.ofNanos(nanos);
  }
}
