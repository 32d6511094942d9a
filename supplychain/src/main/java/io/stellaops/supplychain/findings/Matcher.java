package io.stellaops.supplychain.findings;

import io.stellaops.supplychain.advisory.Advisory;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.OsvRecord;
import io.stellaops.supplychain.advisory.Severity;
import io.stellaops.supplychain.sbom.Sbom;
import io.stellaops.supplychain.sbom.SbomComponent;
import io.stellaops.supplychain.version.VersionOrders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Matches an SBOM's packages against an advisory index: by package URL, with each ecosystem's own
 * version order over OSV {@code SEMVER} and {@code ECOSYSTEM} ranges (introduced / fixed /
 * last_affected) and explicit {@code versions}. Advisories of one package that alias each other
 * become one finding. VEX statements about the product are applied last.
 */
public final class Matcher {
  private static final Comparator<String> SEMVER = VersionOrders.of("Go").orElseThrow();

  /** The group of components whose version is not a version of their ecosystem. */
  public static final String INVALID_VERSION = "invalid version";

  private Matcher() {}

  /** The findings of {@code sbom} against one snapshot. */
  public static FindingsReport match(
      Sbom sbom, AdvisoryIndex index, VexStatements vex, String productDigest) {
    return match(sbom, List.of(index), vex, productDigest);
  }

  /**
   * The findings of {@code sbom} against every snapshot in {@code indexes}. A component is checked
   * when at least one snapshot holds advisories of its ecosystem; its findings come from all of
   * them, aliases merged across snapshots.
   */
  public static FindingsReport match(
      Sbom sbom, List<AdvisoryIndex> indexes, VexStatements vex, String productDigest) {
    List<Finding> findings = new ArrayList<>();
    List<FindingsReport.Unchecked> unchecked = new ArrayList<>();
    int checked = 0;
    for (SbomComponent component : sbom.components()) {
      if (component.purl() == null) {
        unchecked.add(
            unchecked(
                component,
                FindingsReport.NO_PACKAGE_URL,
                "the component names no package (no purl)"));
        continue;
      }
      PackageCoordinates pkg;
      try {
        pkg = PackageCoordinates.of(component.purl());
      } catch (PackageCoordinates.UncheckableException e) {
        unchecked.add(unchecked(component, e.uncheckable().group(), e.getMessage()));
        continue;
      }
      Optional<Comparator<String>> order = VersionOrders.of(pkg.ecosystem());
      if (order.isEmpty()) {
        unchecked.add(
            unchecked(component, pkg.ecosystem(), "no version order for " + pkg.ecosystem()));
        continue;
      }
      List<AdvisoryIndex> covering =
          indexes.stream().filter(i -> i.covers(pkg.ecosystem())).toList();
      if (covering.isEmpty()) {
        unchecked.add(
            unchecked(
                component,
                pkg.ecosystem(),
                "no advisory data for " + pkg.ecosystem() + " is loaded"));
        continue;
      }
      boolean isVersion = VersionOrders.isVersion(pkg.ecosystem(), pkg.version());
      if (isVersion) {
        checked++;
      } else {
        // only an advisory that lists this very string can name it
        unchecked.add(
            unchecked(
                component,
                INVALID_VERSION,
                "\""
                    + pkg.version()
                    + "\" is not a "
                    + pkg.ecosystem()
                    + " version: no advisory range can hold it, only listed versions were"
                    + " matched"));
      }
      findings.addAll(match(component.purl(), pkg, covering, isVersion ? order.get() : null));
    }
    findings.replaceAll(f -> vex.verdict(sbom, productDigest, f).map(f::withVex).orElse(f));
    findings.sort(Finding.MOST_SEVERE_FIRST);
    return new FindingsReport(
        sbom.digest(),
        indexes.stream().map(AdvisoryIndex::digest).collect(Collectors.joining(",")),
        List.copyOf(findings),
        checked,
        List.copyOf(unchecked));
  }

  private static FindingsReport.Unchecked unchecked(
      SbomComponent component, String group, String reason) {
    return new FindingsReport.Unchecked(
        component.bomRef(), component.name(), component.version(), component.purl(), group, reason);
  }

  /**
   * The findings of one package, aliases merged; with no {@code order} (the version is not one of
   * its ecosystem) only the advisories that list it.
   */
  static List<Finding> match(
      String purl, PackageCoordinates pkg, List<AdvisoryIndex> indexes, Comparator<String> order) {
    Map<String, Advisory> hits = new LinkedHashMap<>();
    Map<String, TreeSet<String>> fixes = new HashMap<>();
    for (AdvisoryIndex index : indexes) {
      for (AdvisoryIndex.Entry entry : index.lookup(pkg.ecosystem(), pkg.name())) {
        if (affects(entry.affected(), pkg.version(), order)) {
          hits.putIfAbsent(entry.advisory().id(), entry.advisory());
          fixes
              .computeIfAbsent(entry.advisory().id(), k -> new TreeSet<>(fixOrder(order)))
              .addAll(fixedAfter(entry.affected(), pkg.version(), order));
        }
      }
    }
    List<Finding> findings = new ArrayList<>();
    for (List<Advisory> group : aliasGroups(hits.values())) {
      TreeSet<String> ids = new TreeSet<>();
      group.forEach(a -> ids.addAll(a.ids()));
      String primary = primaryId(group);
      ids.remove(primary);
      Advisory worst = group.stream().min(Comparator.comparing(Advisory::severity)).orElseThrow();
      TreeSet<String> fixed = new TreeSet<>(fixOrder(order));
      group.forEach(a -> fixed.addAll(fixes.getOrDefault(a.id(), new TreeSet<>())));
      Double score =
          group.stream()
              .map(Advisory::score)
              .filter(Objects::nonNull)
              .max(Double::compare)
              .orElse(null);
      Severity severity = worst.severity();
      findings.add(
          new Finding(
              primary,
              List.copyOf(ids),
              group.stream().map(Advisory::id).sorted().toList(),
              purl,
              pkg.ecosystem(),
              pkg.name(),
              pkg.version(),
              severity,
              score,
              List.copyOf(fixed),
              group.stream()
                  .map(Advisory::summary)
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(null),
              null));
    }
    return findings;
  }

  private static Comparator<String> fixOrder(Comparator<String> order) {
    return order != null ? order : Comparator.naturalOrder();
  }

  /** The OSV evaluation of one affected entry for one version (no order: listed versions only). */
  static boolean affects(OsvRecord.Affected affected, String version, Comparator<String> order) {
    if (affected.versions().contains(version)) {
      return true;
    }
    if (order == null) {
      return false;
    }
    for (OsvRecord.Range range : affected.ranges()) {
      Comparator<String> rangeOrder = rangeOrder(range, order);
      if (rangeOrder != null && inRange(range, version, rangeOrder)) {
        return true;
      }
    }
    return false;
  }

  /** The order a range's events are in: SemVer, the ecosystem's own, or none (GIT: commits). */
  private static Comparator<String> rangeOrder(OsvRecord.Range range, Comparator<String> order) {
    return switch (String.valueOf(range.type())) {
      case "SEMVER" -> SEMVER;
      case "ECOSYSTEM" -> order;
      default -> null;
    };
  }

  private static boolean inRange(OsvRecord.Range range, String version, Comparator<String> order) {
    List<Map<String, String>> events = new ArrayList<>(range.events());
    events.sort(Comparator.comparing(Matcher::eventVersion, (a, b) -> compareEvent(a, b, order)));
    boolean affected = false;
    for (Map<String, String> event : events) {
      String introduced = event.get("introduced");
      String fixed = event.get("fixed");
      String lastAffected = event.get("last_affected");
      if (introduced != null) {
        if (introduced.equals("0") || order.compare(version, introduced) >= 0) {
          affected = true;
        }
      } else if (fixed != null) {
        if (order.compare(version, fixed) >= 0) {
          affected = false;
        }
      } else if (lastAffected != null && order.compare(version, lastAffected) > 0) {
        affected = false;
      }
    }
    return affected;
  }

  private static String eventVersion(Map<String, String> event) {
    for (String key : new String[] {"introduced", "fixed", "last_affected", "limit"}) {
      if (event.get(key) != null) {
        return event.get(key);
      }
    }
    return "0";
  }

  private static int compareEvent(String a, String b, Comparator<String> order) {
    if (a.equals("0") || b.equals("0")) {
      return Boolean.compare(!a.equals("0"), !b.equals("0"));
    }
    return order.compare(a, b);
  }

  private static List<String> fixedAfter(
      OsvRecord.Affected affected, String version, Comparator<String> order) {
    List<String> fixed = new ArrayList<>();
    if (order == null) {
      return fixed;
    }
    for (OsvRecord.Range range : affected.ranges()) {
      Comparator<String> rangeOrder = rangeOrder(range, order);
      if (rangeOrder == null) {
        continue;
      }
      for (Map<String, String> event : range.events()) {
        String f = event.get("fixed");
        if (f != null && rangeOrder.compare(f, version) > 0) {
          fixed.add(f);
        }
      }
    }
    return fixed;
  }

  /** Advisories that share an id or alias, transitively. */
  private static List<List<Advisory>> aliasGroups(java.util.Collection<Advisory> advisories) {
    List<List<Advisory>> groups = new ArrayList<>();
    List<TreeSet<String>> groupIds = new ArrayList<>();
    for (Advisory advisory : advisories) {
      TreeSet<String> ids = new TreeSet<>(advisory.ids());
      List<Advisory> merged = new ArrayList<>(List.of(advisory));
      for (int i = groups.size() - 1; i >= 0; i--) {
        if (!java.util.Collections.disjoint(groupIds.get(i), ids)) {
          ids.addAll(groupIds.remove(i));
          merged.addAll(groups.remove(i));
        }
      }
      groups.add(merged);
      groupIds.add(ids);
    }
    return groups;
  }

  /** The group's own database ids first (GHSA, GO, PYSEC …), a CVE only when nothing else. */
  private static String primaryId(List<Advisory> group) {
    return group.stream()
        .map(Advisory::id)
        .min(Comparator.comparing((String id) -> id.startsWith("CVE-")).thenComparing(id -> id))
        .orElseThrow();
  }
}
