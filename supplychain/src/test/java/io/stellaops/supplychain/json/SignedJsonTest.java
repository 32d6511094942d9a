package io.stellaops.supplychain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignedJsonTest {
  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsOneDocument() throws Exception {
    var tree = SignedJson.read(json("{\"critical\": {\"type\": \"t\"}, \"optional\": null}\n"));
    assertThat(SignedJson.text(tree, "critical", "type")).isEqualTo("t");
  }

  @Test
  void refusesAKeyRepeatedUnderAnotherCase() {
    assertThatThrownBy(
            () -> SignedJson.read(json("{\"critical\": {\"x\": 1}, \"Critical\": {\"x\": 2}}")))
        .isInstanceOf(SignedJson.Rejected.class)
        .hasMessageContaining("repeats the key \"critical\" as \"Critical\"");
  }

  @Test
  void refusesAnExactDuplicateDeepInside() {
    assertThatThrownBy(() ->
            SignedJson.read(
                json("{\"a\": [{\"digest\": {\"sha256\": \"1\", \"sha256\": \"2\"}}]}")))
        .isInstanceOf(SignedJson.Rejected.class)
        .hasMessageContaining("repeats the key \"sha256\" in one object");
  }

  @Test
  void foldsAsGoDoesKelvinSignAndLongS() {
    // U+212A KELVIN SIGN folds to k, U+017F LATIN SMALL LETTER LONG S to s, as in Go's EqualFold
    assertThatThrownBy(() -> SignedJson.read(json("{\"kind\": 1, \"\u212Aind\": 2}")))
        .hasMessageContaining("repeats the key \"kind\"");
    assertThatThrownBy(() -> SignedJson.read(json("{\"subject\": 1, \"\u017Fubject\": 2}")))
        .hasMessageContaining("repeats the key \"subject\"");
  }

  @Test
  void sameKeyInSiblingObjectsIsFine() throws Exception {
    SignedJson.read(
        json("{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}, \"c\": [{\"k\": 3}, {\"k\": 4}]}"));
  }

  @Test
  void refusesContentAfterTheDocument() {
    for (String text : new String[] {"{} {}", "{}x", "[1] 2", "\"a\" \"b\"", "{}}"}) {
      assertThatThrownBy(() -> SignedJson.read(json(text)))
          .as(text)
          .isInstanceOf(SignedJson.Rejected.class);
    }
  }

  @Test
  void refusesEmptyAndBrokenInput() {
    assertThatThrownBy(() -> SignedJson.read(json(""))).hasMessageContaining("empty");
    assertThatThrownBy(() -> SignedJson.read(json("{\"a\": "))).hasMessageContaining("is not JSON");
  }

  @Test
  void findsStructFieldsCaseInsensitivelyAsGo() throws Exception {
    var tree =
        SignedJson.read(json("{\"Critical\": {\"Image\": {\"Docker-Manifest-Digest\": \"d\"}}}"));
    assertThat(SignedJson.text(tree, "critical", "image", "docker-manifest-digest")).isEqualTo("d");
    assertThat(SignedJson.text(tree, "optional")).isNull();
  }
}
