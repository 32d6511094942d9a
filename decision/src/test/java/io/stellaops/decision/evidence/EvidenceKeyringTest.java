package io.stellaops.decision.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EvidenceKeyringTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant T2 = Instant.parse("2026-07-01T00:00:00Z");

  @Test
  void aRotationRetiresTheActiveKeyAndARevocationMarksIt() {
    var first = EvidenceKeyring.empty().activate("aaa", "PEM A", T0);
    assertThat(first.activate("aaa", "PEM A", T1)).as("already active: unchanged").isEqualTo(first);
    var rotated = first.activate("bbb", "PEM B", T1);
    assertThat(rotated.active()).get().extracting(EvidenceKeyring.Key::keyId).isEqualTo("bbb");
    assertThat(rotated.find("aaa").orElseThrow().window())
        .isEqualTo("active 2026-01-01T00:00:00Z to 2026-06-01T00:00:00Z");
    var revoked = rotated.revoke("aaa", "key file leaked", T2);
    assertThat(revoked.find("aaa").orElseThrow().window())
        .isEqualTo(
            "active 2026-01-01T00:00:00Z to 2026-06-01T00:00:00Z, revoked 2026-07-01T00:00:00Z:"
                + " key file leaked");
    assertThat(EvidenceKeyring.parse(revoked.toJson())).isEqualTo(revoked);
  }

  @Test
  void theActiveKeyIsNotRevokedAndARevokedKeyNeverSignsAgain() {
    var rotated = EvidenceKeyring.empty().activate("aaa", "PEM A", T0).activate("bbb", "PEM B", T1);
    assertThatThrownBy(() -> rotated.revoke("bbb", "oops", T2))
        .hasMessage("key bbb is the active signing key: rotate first, then revoke it");
    assertThatThrownBy(() -> rotated.revoke("ccc", "oops", T2))
        .hasMessage("the evidence keyring has no key ccc");
    var revoked = rotated.revoke("aaa", "leaked", T2);
    assertThatThrownBy(() -> revoked.activate("aaa", "PEM A", T2))
        .hasMessageContaining("evidence key aaa was revoked")
        .hasMessageContaining("rotate to a new key");
    assertThatThrownBy(() -> EvidenceKeyring.parse("{\"keys\":[]}"))
        .hasMessage("the evidence keyring is not a stellaops.io/evidence-keyring/v1 document");
  }
}
