package io.stellaops.supplychain.version;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A version range in the {@code vers:} notation (package-url/purl-spec, VERSION-RANGE-SPEC.rst), as
 * CycloneDX VEX writes {@code affects[].versions[].range}: {@code vers:semver/>=2.2.0|<=2.4.0}.
 * Containment follows the spec's algorithm over the constraints sorted by the scheme's version
 * order. Hand-written because no Java library implements vers and it is a page of the spec.
 */
public final class VersRange {
  private static final Map<String, String> ECOSYSTEM_OF_SCHEME =
      Map.of(
          "semver", "Go",
          "npm", "npm",
          "golang", "Go",
          "cargo", "crates.io",
          "maven", "Maven",
          "pypi", "PyPI",
          "deb", "Debian",
          "apk", "Alpine",
          "alpine", "Alpine");

  private record Constraint(String comparator, String version) {}

  private final String text;
  private final boolean any;
  private final List<Constraint> constraints;
  private final Comparator<String> order;

  private VersRange(
      String text, boolean any, List<Constraint> constraints, Comparator<String> order) {
    this.text = text;
    this.any = any;
    this.constraints = constraints;
    this.order = order;
  }

  /**
   * Parses {@code vers:<scheme>/<constraints>}.
   *
   * @throws IllegalArgumentException naming what is wrong, or the scheme whose order is unknown
   */
  public static VersRange parse(String text) {
    if (text == null || !text.startsWith("vers:") || text.indexOf('/') < 0) {
      throw new IllegalArgumentException("\"" + text + "\" is not a vers: range");
    }
    String scheme = text.substring(5, text.indexOf('/'));
    String ecosystem = ECOSYSTEM_OF_SCHEME.get(scheme);
    Comparator<String> order = ecosystem == null ? null : VersionOrders.of(ecosystem).orElse(null);
    if (order == null) {
      throw new IllegalArgumentException(
          text + ": no version order is known for vers scheme " + scheme);
    }
    String body = text.substring(text.indexOf('/') + 1).replace(" ", "");
    if (body.equals("*")) {
      return new VersRange(text, true, List.of(), order);
    }
    List<Constraint> constraints = new ArrayList<>();
    for (String part : body.split("\\|")) {
      String comparator = part.replaceFirst("^(>=|<=|!=|<|>|=)?.*$", "$1");
      String version = part.substring(comparator.length());
      if (version.isEmpty()) {
        throw new IllegalArgumentException(text + ": a constraint without a version");
      }
      constraints.add(new Constraint(comparator.isEmpty() ? "=" : comparator, version));
    }
    constraints.sort(Comparator.comparing(Constraint::version, order));
    return new VersRange(text, false, List.copyOf(constraints), order);
  }

  /** Whether {@code version} lies in the range. */
  public boolean contains(String version) {
    if (any) {
      return true;
    }
    List<Constraint> bounds = new ArrayList<>();
    for (Constraint c : constraints) {
      if (order.compare(version, c.version()) == 0) {
        switch (c.comparator()) {
          case "=", "<=", ">=" -> {
            return true;
          }
          case "!=" -> {
            return false;
          }
          default -> {}
        }
      }
      if (!c.comparator().equals("=") && !c.comparator().equals("!=")) {
        bounds.add(c);
      }
    }
    if (bounds.isEmpty()) {
      return false;
    }
    Constraint first = bounds.get(0);
    if (first.comparator().startsWith("<") && order.compare(version, first.version()) < 0) {
      return true;
    }
    Constraint last = bounds.get(bounds.size() - 1);
    if (last.comparator().startsWith(">") && order.compare(version, last.version()) > 0) {
      return true;
    }
    for (int i = 0; i + 1 < bounds.size(); i++) {
      Constraint low = bounds.get(i);
      Constraint high = bounds.get(i + 1);
      if (low.comparator().startsWith(">")
          && high.comparator().startsWith("<")
          && order.compare(version, low.version()) > 0
          && order.compare(version, high.version()) < 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
