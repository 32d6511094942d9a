package io.stellaops.supplychain.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
  @Test
  void textAtInfoUnlessToldOtherwise() {
    assertThat(LogSettings.fromEnvironment(Map.of())).isEqualTo(new LogSettings("text", "info"));
    assertThat(
            LogSettings.fromEnvironment(
                Map.of("STELLA_LOG_FORMAT", "json", "STELLA_LOG_LEVEL", "DEBUG")))
        .isEqualTo(new LogSettings("json", "DEBUG"));
  }

  @Test
  void aValueLogbackWouldMisreadStopsTheProcess() {
    assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of("STELLA_LOG_FORMAT", "JSON ")))
        .hasMessage("STELLA_LOG_FORMAT must be text or json, not \"JSON\"");
    assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of("STELLA_LOG_LEVEL", "verbose")))
        .hasMessage(
            "STELLA_LOG_LEVEL must be one of trace, debug, info, warn, error, not \"verbose\"");
  }
}
