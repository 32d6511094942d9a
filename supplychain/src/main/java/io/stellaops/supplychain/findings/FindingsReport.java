package io.stellaops.supplychain.findings;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All findings of one SBOM against the advisory snapshots loaded (and VEX), how many components
 * were checked, and each component that was not, with why. A component is checked only when a
 * snapshot holds advisories of its ecosystem: no data is never "no findings".
 */
public record FindingsReport(
    String sbomDigest,
    String feedDigest,
    List<Finding> findings,
    int componentsChecked,
    List<Unchecked> unchecked) {

  /** Components without a package URL: files, the operating system, the application itself. */
  public static final String NO_PACKAGE_URL = "no package URL";

  /**
   * A component that was not matched against advisories.
   *
   * @param group its ecosystem ({@code Debian:12}), purl type ({@code pkg:generic}), {@code invalid
   *     package URL} or {@code no package URL}: what reports count and gates allow it by
   * @param reason why, in words
   */
  public record Unchecked(
      String bomRef, String name, String version, String purl, String group, String reason) {}

  public int suppressed() {
    return (int) findings.stream().filter(Finding::suppressed).count();
  }

  /** Unchecked components counted by group, in name order. */
  public Map<String, Integer> uncheckedByGroup() {
    Map<String, Integer> counts = new TreeMap<>();
    unchecked.forEach(u -> counts.merge(u.group(), 1, Integer::sum));
    return counts;
  }

  /** The ids of the {@code n} most severe findings not suppressed, most severe first. */
  public List<String> top(int n) {
    return findings.stream()
        .filter(f -> !f.suppressed())
        .map(Finding::id)
        .distinct()
        .limit(n)
        .toList();
  }
}
