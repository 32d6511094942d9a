package io.stellaops.supplychain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Third-party test data (advisories, SBOMs, VEX, version fixtures) kept in the repository's {@code
 * testdata/} (see its NOTICE.md). Never edited by tests.
 */
public final class TestData {
  private TestData() {}

  /** The OSV record directories of testdata: the Go, PyPA and GitHub databases. */
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

  /**
   * {@code testdata/} of the repository; tests run with a module directory as working directory.
   */
  public static Path root() {
    return Path.of("").toAbsolutePath().getParent().resolve("testdata");
  }

  public static Path path(String first, String... more) {
    Path path = root().resolve(Path.of(first, more));
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " not found in the repository's testdata/");
    }
    return path;
  }
}
