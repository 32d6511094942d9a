package io.stellaops.webhooks;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.stellaops.supplychain.policy.CheckFailure;
import io.stellaops.supplychain.policy.TrustEvaluator;

/** The admission webhook's Prometheus metrics (documented in docs/metrics.md). */
public final class AdmissionMetrics {
  public static final Histogram ADMISSION_DURATION =
      Histogram.builder()
          .name("stella_admission_duration_seconds")
          .help("Time to answer an AdmissionReview, by webhook path and whether it was allowed.")
          .labelNames("path", "allowed")
          .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .register();
  public static final Counter SIGNATURE_VERIFICATIONS =
      Counter.builder()
          .name("stella_signature_verifications_total")
          .help("Image verdicts at admission, by result (Verified, Failed, Warned, Unverified).")
          .labelNames("result")
          .register();
  public static final Counter SIGNATURE_FAILURES =
      Counter.builder()
          .name("stella_signature_verification_failures_total")
          .help("Failed TrustPolicy checks at admission, by reason.")
          .labelNames("reason")
          .register();

  static {
    for (String result :
        new String[] {
          TrustEvaluator.VERIFIED,
          TrustEvaluator.FAILED,
          TrustEvaluator.WARNED,
          TrustEvaluator.UNVERIFIED
        }) {
      SIGNATURE_VERIFICATIONS.initLabelValues(result);
    }
    for (CheckFailure reason : CheckFailure.values()) {
      SIGNATURE_FAILURES.initLabelValues(reason.label());
    }
  }

  private AdmissionMetrics() {}

  /** Loads the definitions, so /metrics lists them before the first admission. */
  public static void init() {}

  /** Counts one image verdict and the reason of each failed check in it. */
  public static void record(TrustEvaluator.Result result) {
    SIGNATURE_VERIFICATIONS.labelValues(result.signature()).inc();
    result.failures().forEach(f -> SIGNATURE_FAILURES.labelValues(f.label()).inc());
  }
}
