package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.policy.CheckFailure;
import io.stellaops.supplychain.policy.TrustEvaluator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionMetricsTest {
  static double failures(CheckFailure reason) {
    return AdmissionMetrics.SIGNATURE_FAILURES.labelValues(reason.label()).get();
  }

  @Test
  void eachFailedCheckCountsUnderItsTypedReason() {
    double copied = failures(CheckFailure.DIGEST_MISMATCH);
    double attestation = failures(CheckFailure.ATTESTATION);
    double unsigned = failures(CheckFailure.UNSIGNED);
    AdmissionMetrics.record(
        new TrustEvaluator.Result(
            TrustEvaluator.FAILED,
            null,
            "two policies failed",
            List.of(
                "shop/ci: r.example/app@sha256:ab: no signature verifies with the key (…)",
                "shop: attestation sbom (https://cyclonedx.org/bom): …"),
            List.of(),
            Map.of(),
            List.of(CheckFailure.DIGEST_MISMATCH, CheckFailure.ATTESTATION)));
    assertThat(failures(CheckFailure.DIGEST_MISMATCH)).isEqualTo(copied + 1);
    assertThat(failures(CheckFailure.ATTESTATION)).isEqualTo(attestation + 1);
    assertThat(failures(CheckFailure.UNSIGNED)).isEqualTo(unsigned);
  }
}
