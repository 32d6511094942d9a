package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdmissionMetricsTest {
  static final String WHERE = "shop/ci: r.example/app@sha256:ab: ";

  @Test
  void eachFailedCheckCountsUnderItsReason() {
    assertThat(AdmissionMetrics.reason(WHERE + "no cosign signature found (looked for …)"))
        .isEqualTo("unsigned");
    assertThat(
            AdmissionMetrics.reason(
                WHERE
                    + "no signature verifies with the key (a valid signature by the key was made"
                    + " for another digest (sha256:cd))"))
        .isEqualTo("digest_mismatch");
    assertThat(
            AdmissionMetrics.reason(
                WHERE
                    + "no signature verifies with the key (a bundle signed by the key states"
                    + " https://sigstore.dev/cosign/sign/v1 of another subject)"))
        .isEqualTo("digest_mismatch");
    assertThat(
            AdmissionMetrics.reason(
                WHERE
                    + "no signature verifies with the key (a bundle does not verify with the key)"))
        .isEqualTo("untrusted_signer");
    assertThat(AdmissionMetrics.reason("shop/ci: trust root not loaded: Secret s/r not found"))
        .isEqualTo("policy_not_loaded");
    assertThat(AdmissionMetrics.reason("shop: attestation sbom (https://cyclonedx.org/bom): …"))
        .isEqualTo("attestation");
  }
}
