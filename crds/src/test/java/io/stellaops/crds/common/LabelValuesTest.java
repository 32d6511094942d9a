package io.stellaops.crds.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelValuesTest {
  @Test
  void shortNamesStayAsTheyAre() {
    assertThat(LabelValues.of("shop-to-prod")).isEqualTo("shop-to-prod");
    assertThat(LabelValues.of("a".repeat(63))).isEqualTo("a".repeat(63));
  }

  @Test
  void longNamesBecomeAValidUniqueLabelValue() {
    String a = "promote-" + "x".repeat(43) + ".-and-more-text-" + "y".repeat(200);
    String b = a + "z";
    assertThat(LabelValues.of(a))
        .hasSizeLessThanOrEqualTo(63)
        .matches("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
        .startsWith("promote-xxx")
        .isNotEqualTo(LabelValues.of(b));
    assertThat(LabelValues.of(a)).isEqualTo(LabelValues.of(a));
  }
}
