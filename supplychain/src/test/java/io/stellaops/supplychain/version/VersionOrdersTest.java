package io.stellaops.supplychain.version;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every comparison line of OSV-SCALIBR's version fixtures (testdata/versions) for the ecosystems we
 * order, both ways round.
 */
class VersionOrdersTest {
  // Maven 3.9's ComparableVersion (what Maven itself resolves with) nests "1-ga-1" as
  // [1, [[1]]] and sorts it below "1-1"; OSV-SCALIBR reads the spec as equal. We follow Maven.
  private static final Set<String> KNOWN_DIFFERENCES = Set.of("maven-versions.txt: 1-1 = 1-ga-1");

  @ParameterizedTest
  @CsvSource({
    "Maven, maven-versions.txt",
    "PyPI, pypi-versions.txt",
    "Go, semver-versions.txt",
    "npm, semver-versions.txt",
    "crates.io, semver-versions.txt",
    "Debian:12, debian-versions.txt",
    "Ubuntu:22.04, debian-versions.txt",
    "Alpine:v3.20, alpine-versions.txt"
  })
  void followsTheFixture(String ecosystem, String file) throws IOException {
    Comparator<String> order = VersionOrders.of(ecosystem).orElseThrow();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String line :
        Files.readAllLines(TestData.path("versions", "osv-scalibr-semantic", file))) {
      String[] parts = line.strip().split(" ");
      if (line.isBlank()
          || line.startsWith("//")
          || line.startsWith("#")
          || parts.length != 3
          || KNOWN_DIFFERENCES.contains(file + ": " + line.strip())) {
        continue;
      }
      int expected =
          switch (parts[1]) {
            case "<" -> -1;
            case ">" -> 1;
            case "=" -> 0;
            default -> throw new IllegalArgumentException(line);
          };
      checked++;
      if (Integer.signum(order.compare(parts[0], parts[2])) != expected
          || Integer.signum(order.compare(parts[2], parts[0])) != -expected) {
        wrong.add(line);
      }
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(wrong).as(file + ": lines ordered otherwise").isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"Packagist", "RubyGems", "NuGet"})
  void ecosystemsWithoutAnOrderAreNotGuessed(String ecosystem) {
    assertThat(VersionOrders.of(ecosystem)).isEmpty();
  }
}
