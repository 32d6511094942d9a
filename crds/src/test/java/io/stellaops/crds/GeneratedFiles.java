package io.stellaops.crds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files generated from the API types and committed: CRD YAML under {@code crds/generated} and the
 * API reference under {@code docs/api}. The build regenerates them; CI fails on drift.
 */
final class GeneratedFiles {
  /** Set {@code -Dstella.updateGenerated=true} (see hack/update-generated.sh) to rewrite them. */
  static final boolean UPDATE = Boolean.getBoolean("stella.updateGenerated");

  static final Path FRESH_CRDS = Path.of("target/classes/META-INF/fabric8");
  static final Path COMMITTED_CRDS = Path.of("generated");
  static final Path API_REFERENCE = Path.of("../docs/api");

  private GeneratedFiles() {}

  /** The freshly generated CRDs by file name. */
  static Map<String, String> freshCrds() throws IOException {
    return read(FRESH_CRDS, ".yml");
  }

  static Map<String, String> read(Path dir, String suffix) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.filter(p -> p.toString().endsWith(suffix)).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  /**
   * Compares {@code expected} with the files in {@code dir}; in update mode rewrites {@code dir}
   * instead. Returns one line per difference.
   */
  static List<String> syncOrDiff(Map<String, String> expected, Path dir, String suffix)
      throws IOException {
    Map<String, String> actual = read(dir, suffix);
    if (UPDATE) {
      Files.createDirectories(dir);
      for (String stale : actual.keySet()) {
        if (!expected.containsKey(stale)) {
          Files.delete(dir.resolve(stale));
        }
      }
      for (var e : expected.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
      }
      return List.of();
    }
    List<String> diffs = new ArrayList<>();
    for (var e : expected.entrySet()) {
      String committed = actual.get(e.getKey());
      if (committed == null) {
        diffs.add(dir.resolve(e.getKey()) + " is missing");
      } else if (!committed.equals(e.getValue())) {
        diffs.add(dir.resolve(e.getKey()) + " differs from what the API types generate");
      }
    }
    for (String stale : actual.keySet()) {
      if (!expected.containsKey(stale)) {
        diffs.add(dir.resolve(stale) + " is no longer generated");
      }
    }
    return diffs;
  }
}
