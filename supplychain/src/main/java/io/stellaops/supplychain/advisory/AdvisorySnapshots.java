package io.stellaops.supplychain.advisory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Loads an OSV snapshot: a directory of records (JSON, or YAML as the PyPA database writes them;
 * one record or an array per file), a {@code .zip} as osv.dev publishes per ecosystem ({@code
 * all.zip}), or a {@code .tar.gz}. One unreadable record rejects the whole snapshot, naming the
 * file: a half-loaded feed would hide findings.
 */
public final class AdvisorySnapshots {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();

  private AdvisorySnapshots() {}

  public static AdvisoryIndex load(Path source) throws SnapshotException {
    if (!Files.exists(source)) {
      throw new SnapshotException(source.toString(), "does not exist");
    }
    try {
      if (Files.isDirectory(source)) {
        return directory(source);
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(source))) {
        return archive(source.getFileName().toString(), in);
      }
    } catch (IOException e) {
      throw new SnapshotException(source.toString(), "cannot be read: " + e.getMessage());
    }
  }

  /**
   * An OCI artifact ({@code repo:tag} or {@code repo@sha256:…}) whose first layer is a {@code .zip}
   * or {@code .tar.gz} of OSV records, e.g. pushed with {@code oras push}.
   */
  public static AdvisoryIndex fromRegistry(
      RegistryClient registry, String reference, Optional<RegistryClient.Credentials> credentials)
      throws SnapshotException {
    try {
      byte[] blob = registry.firstLayer(reference, credentials);
      return archive(reference, new java.io.ByteArrayInputStream(blob));
    } catch (RegistryException e) {
      throw new SnapshotException(reference, e.getMessage());
    } catch (IOException e) {
      throw new SnapshotException(reference, "cannot be read: " + e.getMessage());
    }
  }

  /**
   * One document holding a snapshot: a {@code .zip} or {@code .tar.gz}, or OSV records as JSON or
   * YAML (one record or an array), as a ConfigMap key holds small feeds.
   */
  public static AdvisoryIndex document(String name, byte[] bytes) throws SnapshotException {
    if (isZip(bytes) || isGzip(bytes)) {
      try {
        return archive(name, new java.io.ByteArrayInputStream(bytes));
      } catch (IOException e) {
        throw new SnapshotException(name, "cannot be read: " + e.getMessage());
      }
    }
    List<AdvisoryIndex.Sourced> records = new ArrayList<>();
    read(name.endsWith(".yaml") || name.endsWith(".yml") ? name : name + ".json", bytes, records);
    return AdvisoryIndex.of(records, Sha256.digest(bytes));
  }

  /** A {@code .zip} or {@code .tar.gz} (e.g. an OCI artifact's layer) named {@code name}. */
  public static AdvisoryIndex archive(String name, InputStream in)
      throws SnapshotException, IOException {
    byte[] bytes = in.readAllBytes();
    List<AdvisoryIndex.Sourced> records = new ArrayList<>();
    if (isZip(bytes)) {
      try (var zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          if (!entry.isDirectory()) {
            read(name + "!" + entry.getName(), zip.readAllBytes(), records);
          }
        }
      }
    } else if (isGzip(bytes)) {
      try (var tar =
          new TarArchiveInputStream(new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          if (entry.isFile()) {
            read(name + "!" + entry.getName(), tar.readAllBytes(), records);
          }
        }
      }
    } else {
      throw new SnapshotException(name, "is neither a directory, a .zip nor a .tar.gz");
    }
    return AdvisoryIndex.of(records, Sha256.digest(bytes));
  }

  private static boolean isZip(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K';
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private static AdvisoryIndex directory(Path root) throws IOException, SnapshotException {
    List<Path> files;
    // links followed (mounted ConfigMaps are links); hidden entries such as ..data skipped
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      files =
          walk.filter(p -> !hidden(root.relativize(p)))
              .filter(Files::isRegularFile)
              .filter(AdvisorySnapshots::isRecord)
              .sorted()
              .toList();
    }
    List<AdvisoryIndex.Sourced> records = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String relative = root.relativize(file).toString();
      read(relative, bytes, records);
      digests.put(relative, Sha256.digest(bytes));
    }
    // the digest of a directory covers every record file's name and content
    return AdvisoryIndex.of(records, Sha256.ofNamed(digests));
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRecord(Path file) {
    String name = file.getFileName().toString();
    return isRecord(name);
  }

  private static boolean isRecord(String name) {
    return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static void read(String name, byte[] bytes, List<AdvisoryIndex.Sourced> into)
      throws SnapshotException {
    if (!isRecord(name)) {
      return;
    }
    ObjectMapper mapper = name.endsWith(".json") ? JSON : YAML;
    try {
      JsonNode tree = mapper.readTree(bytes);
      for (JsonNode node : tree.isArray() ? tree : List.of(tree)) {
        OsvRecord record = mapper.treeToValue(node, OsvRecord.class);
        if (record == null) {
          throw new SnapshotException(name, "not an OSV record: empty, or null");
        }
        if (record.id() == null || record.id().isBlank()) {
          throw new SnapshotException(name, "a record has no id");
        }
        into.add(new AdvisoryIndex.Sourced(name, record, node));
      }
    } catch (JacksonException e) {
      throw new SnapshotException(name, "not an OSV record: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SnapshotException(name, "cannot be read: " + e.getMessage());
    }
  }
}
