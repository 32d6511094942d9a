package io.stellaops.supplychain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared third-party test data (advisories, SBOMs, VEX, version fixtures): {@code
 * STELLA_TESTDATA}, else {@code shared/testdata} beside the repository. Never edited by tests.
 */
public final class TestData {
  private TestData() {}

  /** The OSV record directories of shared/testdata: the Go, PyPA and GitHub databases. */
  public static java.util.List<Path> osvSources() {
    return java.util.List.of(
        path("osv", "golang-vulndb"),
        path("osv", "pypa-advisory-database"),
        path("osv", "ghsa-from-osv-scalibr"));
  }

  /** One snapshot directory linking every {@link #osvSources()} directory. */
  public static Path osvSnapshot() throws java.io.IOException {
    Path snapshot = Files.createTempDirectory("snapshot");
    for (Path source : osvSources()) {
      Files.createSymbolicLink(snapshot.resolve(source.getFileName()), source);
    }
    return snapshot;
  }

  public static Path path(String first, String... more) {
    String given = System.getenv("STELLA_TESTDATA");
    Path root =
        given != null
            ? Path.of(given)
            : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/testdata");
    Path path = root.resolve(Path.of(first, more));
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " not found: set STELLA_TESTDATA to shared/testdata");
    }
    return path;
  }
}
