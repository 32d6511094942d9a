package io.stellaops.supplychain.findings;

import io.stellaops.supplychain.advisory.Severity;
import java.util.EnumMap;
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

  /** Findings not suppressed by VEX, by severity. */
  public Map<Severity, Integer> counts() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    findings.stream()
        .filter(f -> !f.suppressed())
        .forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
    return counts;
  }

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
