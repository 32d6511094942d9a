package io.stellaops.supplychain.findings;

import java.util.List;
import java.util.Map;

/**
 * All findings of one SBOM against one advisory snapshot (and VEX), with how many components were
 * checked and why the others were not.
 */
public record FindingsReport(
    String sbomDigest,
    String feedDigest,
    List<Finding> findings,
    int componentsChecked,
    Map<String, Integer> unchecked) {

  public int suppressed() {
    return (int) findings.stream().filter(Finding::suppressed).count();
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
