package io.stellaops.supplychain.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoBase64Test {
  @Test
  void skipsLineBreaksAsGoDoes() {
    assertThat(GoBase64.standard("aGVs\nbG8g\r\nd29y\nbGQ=")).isEqualTo(bytes("hello world"));
  }

  @Test
  void refusesWhatGoRefuses() {
    assertThatThrownBy(() -> GoBase64.standard("aGVsbG8")).hasMessageContaining("padding");
    assertThatThrownBy(() -> GoBase64.standard("aGVs bG8="))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoBase64.standard("aGV-bG8="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dsseSignaturesMayBeUrlSafe() {
    assertThat(GoBase64.standardOrUrl("-_8=")).isEqualTo(new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThat(GoBase64.standardOrUrl("+/8=")).isEqualTo(new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThatThrownBy(() -> GoBase64.standardOrUrl("-_8")).hasMessageContaining("padding");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
