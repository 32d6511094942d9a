package io.stellaops.supplychain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void canonicalisesTheRfc8785Example() {
    // RFC 8785 section 3.2.2 input and section 3.2.3 output.
    String input =
        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
            + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
            + " \"literals\": [null, true, false]}";
    String expected =
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    byte[] canonical = CanonicalJson.canonicalize(input.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void hashDoesNotDependOnMapOrder() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("environment", "prod");
    a.put("release", Map.of("version", "1.0.0"));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("release", Map.of("version", "1.0.0"));
    b.put("environment", "prod");
    assertThat(CanonicalJson.digest(a)).isEqualTo(CanonicalJson.digest(b)).startsWith("sha256:");
  }

  @Test
  void recordsCanonicaliseLikeTheEquivalentMap() {
    record Gate(String name, boolean passed, List<String> reasons) {}
    var asRecord = new Gate("freeze", false, List.of("weekend until Mon 06:00"));
    var asMap =
        Map.of("reasons", List.of("weekend until Mon 06:00"), "passed", false, "name", "freeze");
    assertThat(CanonicalJson.bytes(asRecord)).isEqualTo(CanonicalJson.bytes(asMap));
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not canonicalisable JSON");
  }
}
