package io.stellaops.crds.ilmclass;

/**
 * Labels, annotations and the finalizer by which the lifecycle controller keeps track of the
 * objects an IlmClass governs. Written by the operator only; the admission webhook refuses other
 * writers.
 */
public final class IlmMetadata {
  /** Label: the class governing the object. */
  public static final String CLASS = "stellaops.io/ilm-class";

  /** Annotation: when the object may be purged (RFC 3339). */
  public static final String EXPIRES_AT = "stellaops.io/ilm-expires-at";

  /**
   * Annotation: why the object is kept past its expiry (a release runs, a promotion has not ended,
   * a legal hold), absent when nothing pins it. As of the lifecycle's last run.
   */
  public static final String PINNED = "stellaops.io/ilm-pinned";

  /**
   * Label on ConfigMaps that are records: {@code decision} (a promotion's decision) or {@code
   * findings} (a release component's findings report).
   */
  public static final String RECORD = "stellaops.io/record";

  public static final String DECISION_RECORD = "decision";
  public static final String FINDINGS_REPORT = "findings";

  /**
   * Finalizer on evidence (EvidencePackets and decision records): removed by the lifecycle
   * controller only, once the object may go and, if its class archives, its archive is verified.
   */
  public static final String FINALIZER = "stellaops.io/ilm";

  private IlmMetadata() {}
}
