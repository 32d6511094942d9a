package io.stellaops.supplychain.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as {@code docker save} and jib's {@code buildTar} write it: {@code manifest.json} naming
 * a config file and layer files. Pushed as an OCI image manifest with the layers as they are in the
 * archive. Hand-written because it is one JSON file and a walk of the tar; jib-core would rebuild
 * the image rather than push the one that was built and tested.
 */
public final class DockerArchive {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

  private final byte[] config;
  private final List<byte[]> layers;

  private DockerArchive(byte[] config, List<byte[]> layers) {
    this.config = config;
    this.layers = layers;
  }

  /** Reads the archive's one image; says which file is missing or what is malformed. */
  public static DockerArchive read(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        var entries = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), entries.readAllBytes());
        }
      }
    }
    byte[] manifest = files.get("manifest.json");
    if (manifest == null) {
      throw new IOException(tar + " has no manifest.json: not a docker save archive");
    }
    JsonNode images = CanonicalJson.MAPPER.readTree(manifest);
    if (!images.isArray() || images.size() != 1) {
      throw new IOException(tar + ": manifest.json must name exactly one image");
    }
    JsonNode image = images.get(0);
    byte[] config = require(files, tar, image.path("Config").asText());
    List<byte[]> layers = new ArrayList<>();
    for (JsonNode layer : image.path("Layers")) {
      layers.add(require(files, tar, layer.asText()));
    }
    if (layers.isEmpty()) {
      throw new IOException(tar + ": manifest.json names no layers");
    }
    return new DockerArchive(config, layers);
  }

  private static byte[] require(Map<String, byte[]> files, Path tar, String name)
      throws IOException {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      throw new IOException(tar + ": manifest.json names " + name + ", which it does not hold");
    }
    return bytes;
  }

  /** The OCI image manifest this archive is pushed as. */
  public byte[] manifest() {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST);
    manifest.put("config", descriptor(CONFIG, config));
    List<Object> descriptors = new ArrayList<>();
    for (byte[] layer : layers) {
      boolean gzip = layer.length > 1 && layer[0] == (byte) 0x1f && layer[1] == (byte) 0x8b;
      descriptors.add(descriptor(gzip ? LAYER_GZIP : LAYER, layer));
    }
    manifest.put("layers", descriptors);
    return CanonicalJson.bytes(manifest);
  }

  private static Map<String, Object> descriptor(String mediaType, byte[] blob) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("digest", Sha256.digest(blob));
    d.put("size", blob.length);
    return d;
  }

  /** Pushes the blobs, then the manifest at {@code tag}; the manifest's digest. */
  public String push(
      RegistryClient registry,
      String image,
      String tag,
      Optional<RegistryClient.Credentials> credentials) {
    registry.pushBlob(image, config, credentials);
    for (byte[] layer : layers) {
      registry.pushBlob(image, layer, credentials);
    }
    return registry.pushManifest(image, tag, MANIFEST, manifest(), credentials);
  }
}
