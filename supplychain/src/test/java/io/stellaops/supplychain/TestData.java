package io.stellaops.supplychain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared third-party test data (advisories, SBOMs, VEX, version fixtures): {@code
 * STELLA_TESTDATA}, else {@code shared/testdata} beside the repository. Never edited by tests.
 */
public final class TestData {
  private TestData() {}

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
