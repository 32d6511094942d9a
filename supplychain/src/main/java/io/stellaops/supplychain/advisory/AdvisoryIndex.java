package io.stellaops.supplychain.advisory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OSV advisories indexed by (ecosystem, package name); immutable, so a new snapshot replaces the
 * whole index at once. Withdrawn records are left out.
 */
public final class AdvisoryIndex {
  /** One affected entry of one advisory. */
  public record Entry(Advisory advisory, OsvRecord.Affected affected) {}

  private final Map<String, List<Entry>> byPackage;
  private final Map<String, Integer> perEcosystem;
  private final Set<String> covered;
  private final int advisories;
  private final int withdrawn;
  private final String digest;

  private AdvisoryIndex(
      Map<String, List<Entry>> byPackage,
      Map<String, Integer> perEcosystem,
      Set<String> covered,
      int advisories,
      int withdrawn,
      String digest) {
    this.byPackage = byPackage;
    this.perEcosystem = perEcosystem;
    this.covered = covered;
    this.advisories = advisories;
    this.withdrawn = withdrawn;
    this.digest = digest;
  }

  /**
   * Indexes {@code records}; when one id appears twice, the later {@code modified} wins. {@code
   * digest} names the snapshot they came from.
   */
  public static AdvisoryIndex of(Collection<OsvRecord> records, String digest) {
    Map<String, OsvRecord> byId = new HashMap<>();
    for (OsvRecord record : records) {
      byId.merge(
          record.id(),
          record,
          (a, b) ->
              String.valueOf(a.modified()).compareTo(String.valueOf(b.modified())) >= 0 ? a : b);
    }
    Map<String, List<Entry>> byPackage = new HashMap<>();
    Map<String, Integer> perEcosystem = new TreeMap<>();
    Set<String> covered = new java.util.HashSet<>();
    int withdrawn = 0;
    int advisories = 0;
    for (OsvRecord record : byId.values()) {
      if (record.withdrawn() != null && !record.withdrawn().isBlank()) {
        withdrawn++;
        continue;
      }
      advisories++;
      Advisory advisory = Advisory.of(record);
      Set<String> ecosystems = new java.util.TreeSet<>();
      for (OsvRecord.Affected affected : record.affected()) {
        if (affected.pkg() == null
            || affected.pkg().ecosystem() == null
            || affected.pkg().name() == null) {
          continue;
        }
        String ecosystem = affected.pkg().ecosystem();
        ecosystems.add(base(ecosystem));
        covered.add(ecosystem);
        byPackage
            .computeIfAbsent(key(ecosystem, affected.pkg().name()), k -> new ArrayList<>())
            .add(new Entry(advisory, affected));
      }
      ecosystems.forEach(e -> perEcosystem.merge(e, 1, Integer::sum));
    }
    byPackage.replaceAll((k, v) -> List.copyOf(v));
    return new AdvisoryIndex(
        Map.copyOf(byPackage), perEcosystem, Set.copyOf(covered), advisories, withdrawn, digest);
  }

  /** The entries for one package ({@code ecosystem} as OSV names it, e.g. {@code Debian:12}). */
  public List<Entry> lookup(String ecosystem, String name) {
    return byPackage.getOrDefault(key(ecosystem, name), List.of());
  }

  /**
   * Whether the snapshot holds advisories of {@code ecosystem} as OSV names it, release included
   * ({@code Debian:12} is not covered by {@code Debian:11} data): a package of an ecosystem the
   * snapshot does not cover cannot be said to be free of findings.
   */
  public boolean covers(String ecosystem) {
    return covered.contains(ecosystem);
  }

  /** Advisories loaded (withdrawn ones excluded). */
  public int advisories() {
    return advisories;
  }

  public int withdrawn() {
    return withdrawn;
  }

  /** Advisories per ecosystem (without release suffixes such as {@code :12}). */
  public Map<String, Integer> perEcosystem() {
    return java.util.Collections.unmodifiableMap(perEcosystem);
  }

  public String digest() {
    return digest;
  }

  private static String key(String ecosystem, String name) {
    return ecosystem + "\u0000" + normalise(base(ecosystem), name);
  }

  static String base(String ecosystem) {
    int colon = ecosystem.indexOf(':');
    return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
  }

  /** PyPI names compare in PEP 503 normal form; others as written. */
  static String normalise(String ecosystem, String name) {
    return "PyPI".equals(ecosystem)
        ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-")
        : name;
  }
}
