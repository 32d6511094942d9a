package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void defaults() {
    var settings = OperatorSettings.fromEnvironment(Map.of());
    assertThat(settings.namespace()).isEqualTo("stella-system");
    assertThat(settings.webhookService()).isEqualTo("stella-operator-webhook.stella-system");
    assertThat(settings.insecureRegistries()).isEmpty();
    assertThat(settings.leaderElection()).isFalse();
  }

  @Test
  void insecureRegistriesAreHostsWithOptionalPorts() {
    var settings =
        OperatorSettings.fromEnvironment(
            Map.of(
                "STELLA_INSECURE_REGISTRIES",
                " kind-registry:5001, registry.lab ,[fd00::1]:5000,"));
    assertThat(settings.insecureRegistries())
        .containsExactlyInAnyOrder("kind-registry:5001", "registry.lab", "[fd00::1]:5000");
  }

  @Test
  void aRegistryGivenAsUrlIsRefusedWithTheExpectedForm() {
    assertThatThrownBy(() ->
            OperatorSettings.fromEnvironment(
                Map.of("STELLA_INSECURE_REGISTRIES", "http://kind-registry:5001")))
        .hasMessageContaining("STELLA_INSECURE_REGISTRIES lists registries as host[:port]")
        .hasMessageContaining("http://kind-registry:5001");
  }

  @Test
  void aMistypedSwitchIsRefused() {
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("STELLA_LEADER_ELECTION", "yes")))
        .hasMessageContaining("STELLA_LEADER_ELECTION must be true or false");
  }

  @Test
  void logsAreTextUnlessJsonIsAskedFor() {
    assertThat(OperatorSettings.fromEnvironment(Map.of()).logFormat()).isEqualTo("text");
    assertThat(OperatorSettings.fromEnvironment(Map.of("STELLA_LOG_FORMAT", "json")).logFormat())
        .isEqualTo("json");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("STELLA_LOG_FORMAT", "JSON")))
        .hasMessage("STELLA_LOG_FORMAT must be text or json, not \"JSON\"");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("STELLA_LOG_LEVEL", "verbose")))
        .hasMessage(
            "STELLA_LOG_LEVEL must be one of trace, debug, info, warn, error, not \"verbose\"");
  }
}
