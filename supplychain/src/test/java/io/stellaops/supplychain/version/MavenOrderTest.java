package io.stellaops.supplychain.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where Maven's own releases and OSV-SCALIBR (osv-scanner's comparator, the POM reference's written
 * rule ".qualifier < -qualifier < -number < .number") disagree, we follow Maven 3.8 and later: a
 * release spelled with a dot or a hyphen before its qualifier is one release, so an advisory that
 * names one spelling covers the other. Each row is in docs/vulnerabilities.md.
 */
class MavenOrderTest {
  private static final Comparator<String> MAVEN = VersionOrders.of("Maven").orElseThrow();

  @ParameterizedTest(name = "{0} {1} {2} (Maven 3.6: {3}, OSV-SCALIBR: {4})")
  @CsvSource({
    "9.0.0.M1,  =, 9.0.0-M1,  >, <",
    "9.0.0M1,   =, 9.0.0-M1,  =, =",
    "1.0.0.RC1, =, 1.0.0-RC1, >, <",
    "1.0.0.CR1, =, 1.0.0-rc1, >, <",
    "1.0.a,     =, 1.0-a,     >, <",
    "1-ga-1,    <, 1-1,       <, =",
    "1.0.final, =, 1.0,       =, =",
    "1.0-sp1,   <, 1.0.1,     <, <",
  })
  void followsMaven38AndLater(String a, String ours, String b, String maven36, String scalibr) {
    int expected =
        switch (ours) {
          case "<" -> -1;
          case ">" -> 1;
          default -> 0;
        };
    assertThat(Integer.signum(MAVEN.compare(a, b))).isEqualTo(expected);
    assertThat(Integer.signum(MAVEN.compare(b, a))).isEqualTo(-expected);
  }

  @ParameterizedTest
  @CsvSource({
    "Go, (devel), false",
    "Go, v0.0.0-20191016112426-3962a5ea8da1, true",
    "npm, latest, false",
    "PyPI, trunk, false",
    "PyPI, 1.0.post1, true",
    "Maven, '[1.0,2.0)', false",
    "Maven, r09, true",
    "Debian:12, 1:2.3-4, true",
    "Debian:12, unknown, false",
    "Alpine:v3.20, 1.36.1-r2, true",
  })
  void knowsANonVersion(String ecosystem, String version, boolean valid) {
    assertThat(VersionOrders.isVersion(ecosystem, version)).isEqualTo(valid);
  }
}
