package io.stellaops.controllers.archive;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An IlmClass retention ({@code 720h}, {@code 90d}, {@code 7y}) applied to a creation time. Years
 * are calendar years (UTC), so {@code 7y} is seven years to the day, leap days included.
 */
public record Retention(long amount, char unit) {
  public static Retention parse(String text) {
    if (text == null || !text.matches("[0-9]+[hdy]")) {
      throw new IllegalArgumentException(
          "retention " + text + " is not hours, days or years (e.g. 720h, 90d, 7y)");
    }
    return new Retention(
        Long.parseLong(text.substring(0, text.length() - 1)), text.charAt(text.length() - 1));
  }

  /** When an object created at {@code created} expires. */
  public Instant expiry(Instant created) {
    return switch (unit) {
      case 'h' -> created.plusSeconds(amount * 3600);
      case 'd' -> created.plusSeconds(amount * 86_400);
      default -> created.atOffset(ZoneOffset.UTC).plusYears(amount).toInstant();
    };
  }
}
