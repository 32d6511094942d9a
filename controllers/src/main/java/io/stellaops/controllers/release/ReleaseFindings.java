package io.stellaops.controllers.release;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.controllers.kubernetes.OwnerReferences;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.LabelValues;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.advisory.Severity;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.findings.Finding;
import io.stellaops.supplychain.findings.FindingsReport;
import io.stellaops.supplychain.findings.Matcher;
import io.stellaops.supplychain.findings.VexStatements;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.sbom.Sbom;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * A component's findings: its SBOM against every loaded advisory feed, with the VEX statements of
 * all feeds; packages of ecosystems no feed covers are counted as unchecked, by ecosystem. The full
 * report is kept in an immutable ConfigMap named after its digest; the summary (counts, open
 * findings, report digest) goes into Release status for the gates.
 */
final class ReleaseFindings {
  static final int OPEN_LIMIT = 200;
  private static final int TOP = 5;

  private ReleaseFindings() {}

  static FindingsSummary summarise(
      KubernetesClient client,
      Release release,
      String component,
      Sbom sbom,
      String digest,
      List<AdvisoryFeeds.Loaded> feeds,
      Instant now) {
    VexStatements vex =
        VexStatements.combine(feeds.stream().map(AdvisoryFeeds.Loaded::vex).toList());
    FindingsReport matched =
        Matcher.match(sbom, feeds.stream().map(AdvisoryFeeds.Loaded::index).toList(), vex, digest);
    List<Finding> findings = matched.findings();
    String feedDigest = AdvisoryFeeds.label(feeds);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("release", release.getMetadata().getName());
    report.put("component", component);
    report.put("digest", digest);
    report.put(FindingsReports.SBOM_DIGEST, sbom.digest());
    report.put("sbomFormat", sbom.format() + " " + sbom.specVersion());
    report.put("sbomWarnings", sbom.warnings());
    report.put(FindingsReports.FEEDS, feedDigest);
    report.put(FindingsReports.COMPONENTS_CHECKED, matched.componentsChecked());
    report.put(FindingsReports.UNCHECKED, matched.unchecked());
    report.put(FindingsReports.FINDINGS, findings);
    byte[] json = CanonicalJson.bytes(report);
    String reportDigest = Sha256.digest(json);
    String configMap = store(client, release, component, json, reportDigest);

    int[] counts = new int[Severity.values().length];
    int suppressed = 0;
    List<FindingsSummary.OpenFinding> open = new ArrayList<>();
    for (Finding f : findings) {
      if (f.suppressed()) {
        suppressed++;
        continue;
      }
      counts[f.severity().ordinal()]++;
      if (open.size() < OPEN_LIMIT) {
        open.add(
            new FindingsSummary.OpenFinding(
                f.id(),
                f.aliases(),
                f.severity().lower(),
                f.purl(),
                f.fixedIn(),
                f.vex() == null ? null : f.vex().status()));
      }
    }
    int openTotal = findings.size() - suppressed;
    Map<String, Integer> unchecked = matched.uncheckedByGroup();
    return new FindingsSummary(
        matched.componentsChecked(),
        unchecked.isEmpty() ? null : unchecked,
        counts[Severity.CRITICAL.ordinal()],
        counts[Severity.HIGH.ordinal()],
        counts[Severity.MEDIUM.ordinal()],
        counts[Severity.LOW.ordinal()],
        counts[Severity.UNKNOWN.ordinal()],
        suppressed,
        feedDigest,
        reportDigest,
        configMap,
        open.stream().map(FindingsSummary.OpenFinding::id).distinct().limit(TOP).toList(),
        open,
        openTotal > open.size() ? Boolean.TRUE : null,
        Conditions.timestamp(now));
  }

  /** Ids (and aliases) of open findings in {@code now} that were not open before. */
  static List<String> newIds(FindingsSummary before, FindingsSummary now) {
    if (before == null || before.open() == null || now == null || now.open() == null) {
      return List.of();
    }
    Set<String> known = new TreeSet<>();
    for (var f : before.open()) {
      known.add(f.id());
      known.addAll(f.aliases() == null ? List.of() : f.aliases());
    }
    Map<String, String> added = new LinkedHashMap<>(); // one entry per id, in several packages too
    for (var f : now.open()) {
      boolean seen = known.contains(f.id());
      for (String alias : f.aliases() == null ? List.<String>of() : f.aliases()) {
        seen |= known.contains(alias);
      }
      if (!seen) {
        added.putIfAbsent(f.id(), f.id() + " (" + f.severity() + ")");
      }
    }
    return List.copyOf(added.values());
  }

  private static String store(
      KubernetesClient client, Release release, String component, byte[] json, String digest) {
    String name =
        LabelValues.of(release.getMetadata().getName() + "-" + component + "-findings")
            + "-"
            + Sha256.hexOf(digest).substring(0, 12);
    var configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(release.getMetadata().getNamespace())
            .addToLabels("stellaops.io/release", LabelValues.of(release.getMetadata().getName()))
            .addToLabels("stellaops.io/component", LabelValues.of(component))
            .addToLabels(IlmMetadata.RECORD, IlmMetadata.FINDINGS_REPORT)
            .addToAnnotations("stellaops.io/report-digest", digest)
            .withOwnerReferences(OwnerReferences.controlledBy(release))
            .endMetadata()
            .withImmutable(true)
            .addToBinaryData(
                FindingsReports.DATA_KEY, Base64.getEncoder().encodeToString(gzip(json)))
            .build();
    CreateOnce.createIfAbsent(client, configMap);
    return name;
  }

  private static byte[] gzip(byte[] bytes) {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
