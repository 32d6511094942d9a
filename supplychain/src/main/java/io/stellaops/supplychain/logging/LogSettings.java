package io.stellaops.supplychain.logging;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the operator and the agents log, from the environment: {@code STELLA_LOG_FORMAT} — {@code
 * text} (default) or {@code json}, one JSON object per line with the MDC — and {@code
 * STELLA_LOG_LEVEL} — trace, debug, info (default), warn or error. Both processes read the same
 * logback configuration ({@code io/stellaops/logging/logback-appenders.xml}); a bad value stops the
 * process at start instead of being read as something else.
 */
public record LogSettings(String format, String level) {
  /** What {@code STELLA_LOG_FORMAT} may say; the logback configuration names an appender each. */
  public static final List<String> FORMATS = List.of("text", "json");

  /** What {@code STELLA_LOG_LEVEL} may say (logback would read anything else as debug). */
  public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

  public static LogSettings fromEnvironment(Map<String, String> env) {
    String format = env.getOrDefault("STELLA_LOG_FORMAT", "text").strip();
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "STELLA_LOG_FORMAT must be text or json, not \"" + format + "\"");
    }
    String level = env.getOrDefault("STELLA_LOG_LEVEL", "info").strip();
    if (!LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "STELLA_LOG_LEVEL must be one of "
              + String.join(", ", LEVELS)
              + ", not \""
              + level
              + "\"");
    }
    return new LogSettings(format, level);
  }
}
