package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OciLayoutTest {
  static final String IMAGE = "registry.example.com/shop/api";
  static final byte[] CONFIG = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);

  static byte[] manifest(Map<String, Object> extra) {
    Map<String, Object> m = new TreeMap<>(extra);
    m.put("schemaVersion", 2);
    m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    m.put(
        "config",
        Map.of(
            "mediaType",
            "application/vnd.oci.image.config.v1+json",
            "digest",
            Sha256.digest(CONFIG),
            "size",
            CONFIG.length));
    m.put(
        "layers",
        List.of(
            Map.of(
                "mediaType",
                "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest",
                Sha256.digest(LAYER),
                "size",
                LAYER.length)));
    return CanonicalJson.bytes(m);
  }

  /** A layout holding an image by tag and a signature manifest whose subject is the image. */
  static Map<String, byte[]> source() {
    byte[] image = manifest(Map.of());
    byte[] signature =
        manifest(
            Map.of(
                "subject",
                Map.of(
                    "mediaType",
                    "application/vnd.oci.image.manifest.v1+json",
                    "digest",
                    Sha256.digest(image),
                    "size",
                    image.length),
                "annotations",
                Map.of("kind", "signature")));
    Map<String, byte[]> files = new TreeMap<>();
    files.put("oci/oci-layout", OciLayout.LAYOUT.getBytes(StandardCharsets.UTF_8));
    for (byte[] blob : List.of(image, signature, CONFIG, LAYER)) {
      files.put("oci/blobs/sha256/" + Sha256.hex(blob), blob);
    }
    files.put(
        "oci/index.json",
        CanonicalJson.bytes(
            Map.of(
                "schemaVersion",
                2,
                "manifests",
                List.of(
                    descriptor(image, IMAGE + ":1.0.0"),
                    descriptor(signature, IMAGE + "@" + Sha256.digest(signature))))));
    return files;
  }

  static Map<String, Object> descriptor(byte[] manifest, String name) {
    return Map.of(
        "mediaType",
        "application/vnd.oci.image.manifest.v1+json",
        "digest",
        Sha256.digest(manifest),
        "size",
        manifest.length,
        "annotations",
        Map.of(OciLayout.REF_NAME, name));
  }

  @Test
  void aCopyCarriesTheManifestItsBlobsAndItsName() {
    OciLayout source = OciLayout.read(source(), "oci/");
    String digest = source.manifest(IMAGE, "1.0.0", Optional.empty()).digest();

    OciLayout copy = OciLayout.empty();
    copy.copy(source, IMAGE, digest, Optional.empty());
    OciLayout read = OciLayout.read(copy.files("mirror/"), "mirror/");

    assertThat(read.entries())
        .extracting(OciLayout.Entry::name)
        .containsExactly(IMAGE + "@" + digest);
    assertThat(read.manifest(IMAGE, digest, Optional.empty()).mediaType())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(read.blob(IMAGE, Sha256.digest(LAYER), Optional.empty())).isEqualTo(LAYER);
    assertThat(read.hasBlob(Sha256.digest(CONFIG))).isTrue();
    assertThat(digests(copy.files("mirror/")))
        .isEqualTo(digests(read.files("mirror/"))); // the same bytes again
  }

  static Map<String, String> digests(Map<String, byte[]> files) {
    Map<String, String> digests = new TreeMap<>();
    files.forEach((path, bytes) -> digests.put(path, Sha256.digest(bytes)));
    return digests;
  }

  @Test
  void referrersAreTheManifestsWhoseSubjectIsTheDigest() {
    OciLayout layout = OciLayout.read(source(), "oci/");
    String digest = layout.manifest(IMAGE, "1.0.0", Optional.empty()).digest();

    var referrers = layout.referrers(IMAGE, digest, Optional.empty());

    assertThat(referrers.descriptors()).hasSize(1);
    assertThat(referrers.descriptors().getFirst().path("annotations").path("kind").asText())
        .isEqualTo("signature");
    assertThat(
            layout
                .referrers("registry.example.com/shop/web", digest, Optional.empty())
                .descriptors())
        .isEmpty();
  }

  @Test
  void whatTheLayoutLacksIsA404AsARegistrySaysIt() {
    OciLayout layout = OciLayout.read(source(), "oci/");

    assertThatThrownBy(() -> layout.manifest(IMAGE, "2.0.0", Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(IMAGE + ":2.0.0")
        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(404));
    assertThatThrownBy(() -> layout.blob(IMAGE, Sha256.digest(new byte[1]), Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(404));
  }

  @Test
  void aChangedBlobOrAnUnnamedEntryIsRefused() {
    Map<String, byte[]> files = source();
    String layer = "oci/blobs/sha256/" + Sha256.hex(LAYER);
    files.put(layer, "layer bytez".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> OciLayout.read(files, "oci/"))
        .hasMessage(layer + " does not hash to its name");

    Map<String, byte[]> unnamed = source();
    unnamed.put(
        "oci/index.json",
        CanonicalJson.bytes(
            Map.of("manifests", List.of(Map.of("digest", Sha256.digest(LAYER), "size", 1)))));
    assertThatThrownBy(() -> OciLayout.read(unnamed, "oci/"))
        .hasMessageContaining("names no repository");
    assertThatThrownBy(() -> OciLayout.read(Map.of(), "oci/"))
        .hasMessageContaining("no OCI image layout under oci/");
  }
}
