package io.stellaops.supplychain.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
   * One record as read, with the file it came from and its JSON, to tell two records with the same
   * id apart.
   */
  public record Sourced(String file, OsvRecord record, JsonNode json) {}

  /**
   * Indexes {@code records}. One id in several files is one advisory when the records are the same;
   * else the one {@code modified} last counts (a missing or unreadable time counts as the
   * earliest). Records with the same id, the same time and different content cannot be told apart
   * (real feeds carry placeholder times such as 0001-01-01): the snapshot is refused, naming both
   * files, rather than letting file order decide. {@code digest} names the snapshot.
   */
  public static AdvisoryIndex of(List<Sourced> records, String digest) throws SnapshotException {
    Map<String, Sourced> chosen = new HashMap<>();
    for (Sourced candidate : records) {
      Sourced other = chosen.putIfAbsent(candidate.record().id(), candidate);
      if (other == null || other.json().equals(candidate.json())) {
        continue;
      }
      int later = modified(candidate).compareTo(modified(other));
      if (later == 0) {
        throw new SnapshotException(
            candidate.file(),
            "holds "
                + candidate.record().id()
                + " as "
                + other.file()
                + " does, with the same modified time ("
                + candidate.record().modified()
                + ") and other content: which one counts cannot be decided; remove one");
      }
      if (later > 0) {
        chosen.put(candidate.record().id(), candidate);
      }
    }
    Map<String, OsvRecord> byId = new HashMap<>();
    chosen.forEach((id, sourced) -> byId.put(id, sourced.record()));
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

  private static Instant modified(Sourced sourced) {
    try {
      return OffsetDateTime.parse(String.valueOf(sourced.record().modified())).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
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
