package io.stellaops.supplychain.findings;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a package URL's package lives in OSV: ecosystem (with the distribution release for Debian,
 * Ubuntu and Alpine), package name as OSV writes it, and version.
 */
public record PackageCoordinates(String ecosystem, String name, String version) {

  /**
   * Why a component cannot be matched against advisories.
   *
   * @param group what the component is counted under in reports and gates: its OSV ecosystem
   *     ({@code Debian:12}), its purl type ({@code pkg:generic}) or {@code invalid package URL}
   * @param reason the same in words, e.g. {@code package URL without a version}
   */
  public record Uncheckable(String group, String reason) {}

  /** The group of a component whose package URL cannot be parsed. */
  public static final String INVALID = "invalid package URL";

  /** The coordinates of {@code purl}; throws {@link UncheckableException} saying why none. */
  public static PackageCoordinates of(String purl) throws UncheckableException {
    PackageURL p;
    try {
      p = new PackageURL(purl);
    } catch (MalformedPackageURLException | RuntimeException e) {
      throw new UncheckableException(
          new Uncheckable(INVALID, "invalid package URL: " + e.getMessage()));
    }
    String type = "pkg:" + p.getType();
    if (p.getVersion() == null || p.getVersion().isBlank()) {
      throw new UncheckableException(new Uncheckable(type, "package URL without a version"));
    }
    String namespace = p.getNamespace();
    String name = p.getName();
    Map<String, String> qualifiers = p.getQualifiers() == null ? Map.of() : p.getQualifiers();
    String ecosystem;
    String osvName;
    switch (p.getType()) {
      case "maven" -> {
        if (namespace == null) {
          throw new UncheckableException(
              new Uncheckable("Maven", "Maven package URL without a group (namespace)"));
        }
        ecosystem = "Maven";
        osvName = namespace + ":" + name;
      }
      case "npm" -> {
        ecosystem = "npm";
        osvName = namespace == null ? name : namespace + "/" + name;
      }
      case "pypi" -> {
        ecosystem = "PyPI";
        osvName = name;
      }
      case "golang" -> {
        ecosystem = "Go";
        osvName = goModulePath(purl); // as written: the purl library lower-cases it
      }
      case "cargo" -> {
        ecosystem = "crates.io";
        osvName = name;
      }
      case "composer" -> {
        ecosystem = "Packagist";
        osvName = namespace == null ? name : namespace + "/" + name;
      }
      case "gem" -> {
        ecosystem = "RubyGems";
        osvName = name;
      }
      case "nuget" -> {
        ecosystem = "NuGet";
        osvName = name;
      }
      case "deb" -> {
        String distro = qualifiers.getOrDefault("distro", "");
        String vendor = namespace == null ? "debian" : namespace;
        String release = distro.replaceFirst("^[a-z]+-", "");
        String base = vendor.equals("ubuntu") ? "Ubuntu" : "Debian";
        if (release.isEmpty()) {
          throw new UncheckableException(
              new Uncheckable(base, "deb package URL without a distro qualifier (which release?)"));
        }
        ecosystem = base + ":" + release;
        osvName = source(qualifiers, name); // Debian advisories name source packages
      }
      case "apk", "alpine" -> {
        String distro = qualifiers.getOrDefault("distro", "");
        String[] parts = distro.replaceFirst("^[a-z]+-", "").split("\\.");
        if (parts.length < 2) {
          throw new UncheckableException(
              new Uncheckable(
                  "Alpine", "apk package URL without a distro qualifier (which release?)"));
        }
        ecosystem = "Alpine:v" + parts[0] + "." + parts[1];
        osvName = source(qualifiers, name);
      }
      default ->
          throw new UncheckableException(
              new Uncheckable(type, "no OSV ecosystem for package URL type " + p.getType()));
    }
    return new PackageCoordinates(ecosystem, osvName, p.getVersion());
  }

  /** Why a component has no coordinates. */
  public static final class UncheckableException extends Exception {
    private final Uncheckable uncheckable;

    UncheckableException(Uncheckable uncheckable) {
      super(uncheckable.reason());
      this.uncheckable = uncheckable;
    }

    public Uncheckable uncheckable() {
      return uncheckable;
    }
  }

  /**
   * The module path of a {@code pkg:golang} purl as written: Go module paths are case-sensitive
   * ({@code github.com/Azure/…}) and OSV keeps their case, but purl libraries lower-case the
   * namespace. The purl's path between the type and the version, each segment percent-decoded.
   */
  static String goModulePath(String purl) {
    String rest = purl.substring(purl.indexOf(':') + 1).replaceFirst("^/+", "");
    rest = rest.substring(rest.indexOf('/') + 1);
    for (char end : new char[] {'#', '?', '@'}) {
      int at = end == '@' ? rest.lastIndexOf(end) : rest.indexOf(end);
      if (at >= 0) {
        rest = rest.substring(0, at);
      }
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rest.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return String.join("/", segments);
  }

  /** The source package of a binary one: the {@code upstream} qualifier's name, if given. */
  private static String source(Map<String, String> qualifiers, String name) {
    String upstream = qualifiers.get("upstream");
    if (upstream == null || upstream.isBlank()) {
      return name;
    }
    int at = upstream.indexOf('@');
    return at > 0 ? upstream.substring(0, at) : upstream;
  }
}
