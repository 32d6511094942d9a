package io.stellaops.supplychain.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class DockerArchiveTest {
  static Path tar(Map<String, byte[]> files) throws IOException {
    Path tar = Files.createTempFile("image", ".tar");
    try (OutputStream out = Files.newOutputStream(tar);
        var archive = new TarArchiveOutputStream(out)) {
      for (var file : files.entrySet()) {
        var entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        archive.putArchiveEntry(entry);
        archive.write(file.getValue());
        archive.closeArchiveEntry();
      }
    }
    return tar;
  }

  static byte[] gzip(String text) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void theManifestNamesTheConfigAndEachLayerAsTheArchiveHoldsThem() throws IOException {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] compressed = gzip("layer one");
    byte[] plain = "layer two".getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "manifest.json",
        "[{\"Config\":\"config.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"a.tar.gz\",\"b.tar\"]}]"
            .getBytes(StandardCharsets.UTF_8));
    files.put("config.json", config);
    files.put("a.tar.gz", compressed);
    files.put("b.tar", plain);

    var manifest = CanonicalJson.MAPPER.readTree(DockerArchive.read(tar(files)).manifest());

    assertThat(manifest.path("mediaType").asText()).isEqualTo(DockerArchive.MANIFEST);
    assertThat(manifest.path("config").path("digest").asText()).isEqualTo(Sha256.digest(config));
    assertThat(manifest.path("layers").get(0).path("mediaType").asText())
        .isEqualTo(DockerArchive.LAYER_GZIP);
    assertThat(manifest.path("layers").get(0).path("digest").asText())
        .isEqualTo(Sha256.digest(compressed));
    assertThat(manifest.path("layers").get(1).path("mediaType").asText())
        .isEqualTo(DockerArchive.LAYER);
    assertThat(manifest.path("layers").get(1).path("size").asLong()).isEqualTo(plain.length);
  }

  @Test
  void aMissingManifestOrFileIsNamed() throws IOException {
    assertThatThrownBy(() -> DockerArchive.read(tar(Map.of("config.json", new byte[1]))))
        .hasMessageContaining("has no manifest.json");
    assertThatThrownBy(() ->
            DockerArchive.read(
                tar(
                    Map.of(
                        "manifest.json",
                        "[{\"Config\":\"config.json\",\"Layers\":[\"gone.tar.gz\"]}]"
                            .getBytes(StandardCharsets.UTF_8),
                        "config.json",
                        new byte[1]))))
        .hasMessageContaining("names gone.tar.gz, which it does not hold");
    assertThatThrownBy(() ->
            DockerArchive.read(tar(Map.of("manifest.json", "[]".getBytes(StandardCharsets.UTF_8)))))
        .hasMessageContaining("exactly one image");
  }
}
