package io.stellaops.crds.release;

/** Annotations with meaning on a Release (its spec is immutable; these are not). */
public final class ReleaseAnnotations {
  /** Why the release is quarantined: never promotable again. Set by a user; cannot be removed. */
  public static final String QUARANTINE = "stellaops.io/quarantine";

  /** Who quarantined it, stamped by the admission webhook. */
  public static final String QUARANTINED_BY = "stellaops.io/quarantined-by";

  /** When, stamped by the admission webhook (RFC 3339). */
  public static final String QUARANTINED_AT = "stellaops.io/quarantined-at";

  private ReleaseAnnotations() {}
}
