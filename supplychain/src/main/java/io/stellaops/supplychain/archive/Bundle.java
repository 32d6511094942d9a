package io.stellaops.supplychain.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A self-describing tar of files: {@code manifest.json} (every file with its sha256 and size, plus
 * what the bundle is about) and {@code checksums.txt} ({@code sha256sum -c} reads it), the files in
 * name order with fixed timestamps, owners and modes, so the same content always makes the same
 * bytes and the same digest: pushing a bundle again never makes a second archive. Read back with
 * {@link #read}, which checks every file against the manifest.
 */
public final class Bundle {
  public static final String MANIFEST = "manifest.json";
  public static final String CHECKSUMS = "checksums.txt";
  public static final String MEDIA_TYPE = "application/vnd.stellaops.bundle.v1.tar";

  private final Map<String, byte[]> files;
  private final JsonNode about;

  private Bundle(Map<String, byte[]> files, JsonNode about) {
    this.files = files;
    this.about = about;
  }

  /** A bundle of {@code files} (path → content) described by {@code about}. */
  public static Bundle of(Map<String, byte[]> files, JsonNode about) {
    return new Bundle(new TreeMap<>(files), about);
  }

  /** The files, by path (the manifest and checksums left out). */
  public Map<String, byte[]> files() {
    return files;
  }

  /** What the manifest says the bundle is about. */
  public JsonNode about() {
    return about;
  }

  /** The tar bytes. */
  public byte[] bytes() {
    ObjectNode manifest = CanonicalJson.MAPPER.createObjectNode();
    manifest.set("about", about);
    ArrayNode list = manifest.putArray("files");
    StringBuilder checksums = new StringBuilder();
    files.forEach((path, content) -> {
      String hex = Sha256.hex(content);
      list.addObject().put("path", path).put("sha256", hex).put("size", content.length);
      checksums.append(hex).append("  ").append(path).append('\n');
    });
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put(MANIFEST, CanonicalJson.bytes(manifest));
    all.put(CHECKSUMS, checksums.toString().getBytes(StandardCharsets.UTF_8));
    all.putAll(files);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var file : all.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0100644);
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a bundle in memory", e);
    }
    return out.toByteArray();
  }

  /** A bundle that does not hold what its manifest says; the message names the first file. */
  public static final class Damaged extends Exception {
    public Damaged(String message) {
      super(message);
    }
  }

  /**
   * Reads a bundle and checks it: every file the manifest lists is there with its digest and size,
   * and nothing else is.
   */
  public static Bundle read(byte[] tarBytes) throws Damaged {
    Map<String, byte[]> found = new TreeMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(tarBytes))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          found.put(entry.getName(), tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new Damaged("not a readable tar: " + e.getMessage());
    }
    byte[] manifestBytes = found.remove(MANIFEST);
    found.remove(CHECKSUMS);
    if (manifestBytes == null) {
      throw new Damaged("no " + MANIFEST);
    }
    JsonNode manifest;
    try {
      manifest = CanonicalJson.MAPPER.readTree(manifestBytes);
    } catch (IOException e) {
      throw new Damaged(MANIFEST + " is not JSON: " + e.getMessage());
    }
    List<String> listed = new ArrayList<>();
    for (JsonNode file : manifest.path("files")) {
      String path = file.path("path").asText();
      listed.add(path);
      byte[] content = found.get(path);
      if (content == null) {
        throw new Damaged(path + ": listed in the manifest, missing from the bundle");
      }
      if (content.length != file.path("size").asLong()
          || !Sha256.hex(content).equals(file.path("sha256").asText())) {
        throw new Damaged(path + ": does not match its sha256 in the manifest");
      }
    }
    for (String path : found.keySet()) {
      if (!listed.contains(path)) {
        throw new Damaged(path + ": in the bundle, not in the manifest");
      }
    }
    return new Bundle(found, manifest.path("about"));
  }
}
