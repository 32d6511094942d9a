package io.stellaops.supplychain.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Bundle sample() throws Exception {
    return Bundle.of(
        Map.of("b/two.json", utf8("{\"b\": 2}"), "a/one.json", utf8("{\"a\": 1}")),
        CanonicalJson.MAPPER.readTree("{\"object\": \"EvidencePacket shop/p1\"}"));
  }

  @Test
  void theSameContentMakesTheSameBytes() throws Exception {
    assertThat(sample().bytes()).isEqualTo(sample().bytes());
  }

  @Test
  void readsBackWhatWasWritten() throws Exception {
    Bundle read = Bundle.read(sample().bytes());
    assertThat(read.files().keySet()).containsExactly("a/one.json", "b/two.json");
    assertThat(read.about().path("object").asText()).isEqualTo("EvidencePacket shop/p1");
  }

  @Test
  void aFlippedByteIsFoundAndNamed() throws Exception {
    byte[] bytes = sample().bytes();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("{\"b\": 2}");
    bytes[at + 6] = '3';
    assertThatThrownBy(() -> Bundle.read(bytes))
        .isInstanceOf(Bundle.Damaged.class)
        .hasMessage("b/two.json: does not match its sha256 in the manifest");
  }
}
