package io.stellaops.crds.common;

/** Regular expressions shared by the schema annotations of several kinds. */
public final class ApiPatterns {
  /** An OCI content digest; Stella Operator only accepts sha256. */
  public static final String DIGEST = "^sha256:[a-f0-9]{64}$";

  /** A semantic version as defined by semver.org 2.0.0, without a leading {@code v}. */
  public static final String SEMVER =
      "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
          + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";

  /** A Go-style duration such as {@code 90s}, {@code 15m} or {@code 2h30m}. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  /** A Kubernetes object name (RFC 1123 subdomain, at most 253 characters). */
  public static final String NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** An RFC 1123 label: lower-case alphanumerics and '-', used for component names. */
  public static final String LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /**
   * An OCI image repository without tag or digest, e.g. {@code registry.example.com:5000/team/app}.
   * A tag goes in {@code tag}, a digest in {@code digest}.
   */
  public static final String REPOSITORY =
      "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]|__|[-]*[a-z0-9]+)*)*$";

  /** An OCI tag. */
  public static final String TAG = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

  /**
   * An RFC 3339 timestamp, e.g. {@code 2026-11-27T18:00:00Z} or {@code 2026-11-27T18:00:00+01:00}.
   */
  public static final String TIMESTAMP =
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

  /** A five-field cron schedule ({@code minute hour day-of-month month day-of-week}). */
  public static final String CRON = "^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+$";

  /** An IANA time zone name such as {@code Europe/Berlin} or {@code UTC}. */
  public static final String TIME_ZONE = "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$";

  private ApiPatterns() {}
}
