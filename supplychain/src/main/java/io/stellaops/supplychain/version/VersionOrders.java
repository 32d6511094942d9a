package io.stellaops.supplychain.version;

import java.util.Comparator;
import java.util.Optional;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * The version order of each OSV ecosystem we match: Maven's own (ComparableVersion), PEP 440 for
 * PyPI, SemVer for Go, npm and crates.io, dpkg for Debian and Ubuntu, apk for Alpine.
 */
public final class VersionOrders {
  private static final Comparator<String> MAVEN = Comparator.comparing(ComparableVersion::new);

  private VersionOrders() {}

  /** The order of {@code ecosystem} (an OSV name, e.g. {@code Debian:12}), if we know it. */
  public static Optional<Comparator<String>> of(String ecosystem) {
    String base =
        ecosystem.contains(":") ? ecosystem.substring(0, ecosystem.indexOf(':')) : ecosystem;
    return Optional.ofNullable(
        switch (base) {
          case "Maven" -> MAVEN;
          case "PyPI" -> Pep440Order.INSTANCE;
          case "Go", "npm", "crates.io" -> SemverOrder.INSTANCE;
          case "Debian", "Ubuntu" -> DpkgOrder.INSTANCE;
          case "Alpine" -> ApkOrder.INSTANCE;
          default -> null;
        });
  }
}
