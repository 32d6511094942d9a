package io.stellaops.supplychain.findings;

import io.stellaops.supplychain.advisory.Severity;
import java.util.Comparator;
import java.util.List;

/**
 * One vulnerability of one package: the advisory id (aliases merged, so CVE-x and GHSA-y are one
 * finding; {@code advisories} are the records that matched), the package, severity, the versions
 * that fix it, and the VEX verdict if a statement applies.
 */
public record Finding(
    String id,
    List<String> aliases,
    List<String> advisories,
    String purl,
    String ecosystem,
    String packageName,
    String version,
    Severity severity,
    Double score,
    List<String> fixedIn,
    String summary,
    VexVerdict vex) {

  /** Most severe first, then by id and package, as reports and Release status list findings. */
  public static final Comparator<Finding> MOST_SEVERE_FIRST =
      Comparator.comparing(Finding::severity)
          .thenComparing(Finding::id)
          .thenComparing(Finding::purl);

  /** Suppressed by VEX (not_affected or fixed). */
  public boolean suppressed() {
    return vex != null && vex.suppresses();
  }

  /** Every id this finding is known by. */
  public List<String> ids() {
    List<String> ids = new java.util.ArrayList<>(aliases.size() + 1);
    ids.add(id);
    ids.addAll(aliases);
    return ids;
  }

  Finding withVex(VexVerdict verdict) {
    return new Finding(
        id,
        aliases,
        advisories,
        purl,
        ecosystem,
        packageName,
        version,
        severity,
        score,
        fixedIn,
        summary,
        verdict);
  }
}
