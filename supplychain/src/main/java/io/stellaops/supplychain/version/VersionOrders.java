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

  /**
   * The longest version read (Debian's, the longest in practice, stay well below 100 characters);
   * also keeps the version patterns, which recurse per repeated group, within the stack.
   */
  public static final int MAX_LENGTH = 256;

  private VersionOrders() {}

  private static final java.util.regex.Pattern SEMVER_LIKE =
      java.util.regex.Pattern.compile("^[vV]?[0-9]+(\\.[0-9]+)*([-+.~][0-9A-Za-z.+~-]*)?$");
  private static final java.util.regex.Pattern DPKG =
      java.util.regex.Pattern.compile("^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*$");
  private static final java.util.regex.Pattern APK =
      java.util.regex.Pattern.compile("^[0-9][0-9A-Za-z._~-]*$");
  private static final java.util.regex.Pattern MAVEN_VERSION =
      java.util.regex.Pattern.compile("^[0-9A-Za-z][^\\s\\[\\](),]*$");

  /**
   * Whether {@code version} is a version of {@code ecosystem} at all. What is not ({@code (devel)},
   * the version Go gives a module built from source; a branch name; {@code latest}) has no place in
   * any advisory's range, and the component is reported unchecked rather than matched as if it were
   * the lowest version.
   */
  public static boolean isVersion(String ecosystem, String version) {
    if (version == null || version.isBlank() || version.length() > MAX_LENGTH) {
      return false;
    }
    String base =
        ecosystem.contains(":") ? ecosystem.substring(0, ecosystem.indexOf(':')) : ecosystem;
    return switch (base) {
      case "Maven" -> MAVEN_VERSION.matcher(version).matches();
      case "PyPI" -> Pep440Order.isValid(version);
      case "Go", "npm", "crates.io" -> SEMVER_LIKE.matcher(version).matches();
      case "Debian", "Ubuntu" -> DPKG.matcher(version).matches();
      case "Alpine" -> APK.matcher(version).matches();
      default -> false;
    };
  }

  /**
   * The order of {@code ecosystem} (an OSV name, e.g. {@code Debian:12}), if we know it. Versions
   * longer than {@link #MAX_LENGTH} are no versions of any ecosystem: they sort first, as the
   * orders sort what they cannot read.
   */
  public static Optional<Comparator<String>> of(String ecosystem) {
    return scheme(ecosystem).map(VersionOrders::bounded);
  }

  private static Comparator<String> bounded(Comparator<String> order) {
    return (a, b) -> {
      boolean longA = a.length() > MAX_LENGTH;
      boolean longB = b.length() > MAX_LENGTH;
      if (longA || longB) {
        return longA && longB ? a.compareTo(b) : longA ? -1 : 1;
      }
      return order.compare(a, b);
    };
  }

  private static Optional<Comparator<String>> scheme(String ecosystem) {
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
