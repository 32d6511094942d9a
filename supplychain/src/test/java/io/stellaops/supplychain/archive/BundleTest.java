package io.stellaops.supplychain.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
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

  static final KeyPair KEY = PemKeys.generateP256();

  static byte[] signed() throws Exception {
    return sample().signedBytes(KEY.getPrivate(), PemKeys.keyId(KEY.getPublic()));
  }

  @Test
  void aSignedBundleVerifiesAndIsTheSameEveryTime() throws Exception {
    assertThat(signed()).isEqualTo(signed());
    Bundle read = Bundle.read(signed());
    assertThat(read.signatureProblems(KEY.getPublic())).isEmpty();
    assertThat(read.signer()).contains(PemKeys.keyId(KEY.getPublic()));
    assertThat(read.files().keySet()).containsExactly("a/one.json", "b/two.json");
  }

  @Test
  void anotherKeyOrNoSignatureIsRefused() throws Exception {
    var other = PemKeys.generateP256().getPublic();
    assertThat(Bundle.read(signed()).signatureProblems(other))
        .hasSize(2)
        .allMatch(
            p -> p.startsWith(Bundle.SIGNED_MANIFEST) || p.startsWith(Bundle.MANIFEST_SIGNATURE));
    assertThat(Bundle.read(sample().bytes()).signatureProblems(KEY.getPublic()))
        .containsExactly(
            "manifest.dsse.json: missing, the bundle is not signed",
            "manifest.json.sig: missing, the bundle is not signed");
  }

  @Test
  void aFlippedByteInAnyFileOfASignedBundleIsCaughtAndNamed() throws Exception {
    byte[] original = signed();
    Map<String, int[]> files = TarContents.of(original);
    assertThat(files.keySet())
        .containsExactly(
            "manifest.json",
            "checksums.txt",
            "manifest.dsse.json",
            "manifest.json.sig",
            "a/one.json",
            "b/two.json");
    List<String> uncaught = new ArrayList<>();
    for (var file : files.entrySet()) {
      for (int offset : new int[] {0, file.getValue()[1] / 2, file.getValue()[1] - 1}) {
        byte[] bytes = original.clone();
        bytes[file.getValue()[0] + offset] ^= 0x01;
        String problem;
        try {
          // as export verify checks: the signed manifest first, then the files against it
          Bundle bundle = Bundle.unchecked(bytes);
          problem = String.join("; ", bundle.signatureProblems(KEY.getPublic()));
          if (problem.isEmpty()) {
            bundle.checked();
          }
        } catch (Bundle.Damaged e) {
          problem = e.getMessage();
        }
        if (!problem.startsWith(file.getKey())) {
          uncaught.add(file.getKey() + "@" + offset + ": " + problem);
        }
      }
    }
    assertThat(uncaught).isEmpty();
  }
}
