package io.stellaops.supplychain.findings;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.Map;
import java.util.Optional;

/**
 * Where a package URL's package lives in OSV: ecosystem (with the distribution release for Debian,
 * Ubuntu and Alpine), package name as OSV writes it, and version.
 */
public record PackageCoordinates(String ecosystem, String name, String version) {

  /** Empty for purls without a version or of a type OSV does not cover. */
  public static Optional<PackageCoordinates> of(String purl) {
    PackageURL p;
    try {
      p = new PackageURL(purl);
    } catch (MalformedPackageURLException e) {
      return Optional.empty();
    }
    if (p.getVersion() == null || p.getVersion().isBlank()) {
      return Optional.empty();
    }
    String namespace = p.getNamespace();
    String name = p.getName();
    Map<String, String> qualifiers = p.getQualifiers() == null ? Map.of() : p.getQualifiers();
    String ecosystem;
    String osvName;
    switch (p.getType()) {
      case "maven" -> {
        if (namespace == null) {
          return Optional.empty();
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
        osvName = namespace == null ? name : namespace + "/" + name;
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
        if (release.isEmpty()) {
          return Optional.empty();
        }
        ecosystem = (vendor.equals("ubuntu") ? "Ubuntu:" : "Debian:") + release;
        osvName = source(qualifiers, name); // Debian advisories name source packages
      }
      case "apk", "alpine" -> {
        String distro = qualifiers.getOrDefault("distro", "");
        String[] parts = distro.replaceFirst("^[a-z]+-", "").split("\\.");
        if (parts.length < 2) {
          return Optional.empty();
        }
        ecosystem = "Alpine:v" + parts[0] + "." + parts[1];
        osvName = source(qualifiers, name);
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(new PackageCoordinates(ecosystem, osvName, p.getVersion()));
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
