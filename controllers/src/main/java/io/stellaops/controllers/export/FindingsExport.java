package io.stellaops.controllers.export;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.controllers.archive.ArchivedObjects;
import io.stellaops.controllers.release.FindingsReports;
import io.stellaops.crds.export.Export;
import io.stellaops.crds.release.ComponentStatus;
import io.stellaops.crds.release.Release;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.findings.FindingsDocuments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code findings} profile's bundle: per selected Release, its findings as SARIF 2.1.0 ({@code
 * findings/<release>/findings.sarif.json}) and as a CycloneDX 1.6 vulnerability report with VEX
 * analysis ({@code findings.cdx.json}), each component's full findings report ({@code
 * reports/<component>.json}) and the Release itself. Components without a report are named as
 * unscanned in both documents, never left out. Pure, as {@link EvidenceExport}.
 */
final class FindingsExport {
  private FindingsExport() {}

  /**
   * The Releases selected, by name, the findings report ConfigMaps of the namespace by name, and
   * the published keyring.
   */
  record Found(List<Release> releases, Map<String, ConfigMap> reports, EvidenceKeyring keyring) {}

  static ExportBundles.Contents of(
      Export export,
      io.stellaops.crds.export.ExportSpec.Selector selector,
      Found found,
      String operatorVersion,
      KubernetesSerialization serialization)
      throws ExportBundles.Refused {
    Map<String, byte[]> files = new TreeMap<>();
    Map<String, Integer> objects = new TreeMap<>();
    for (Release release : found.releases()) {
      String name = release.getMetadata().getName();
      files.put(ArchivedObjects.path(release), ArchivedObjects.json(release, serialization));
      objects.merge("Release", 1, Integer::sum);
      List<FindingsDocuments.Scanned> scanned = new ArrayList<>();
      for (var component : release.getSpec().components()) {
        ComponentStatus status = statusOf(release, component.name());
        String digest =
            status != null && status.digest() != null ? status.digest() : component.digest();
        var findings = status == null ? null : status.findings();
        ConfigMap report =
            findings == null || findings.report() == null
                ? null
                : found.reports().get(findings.report());
        if (report == null) {
          scanned.add(
              new FindingsDocuments.Scanned(
                  component.name(), component.image(), digest, null, unscanned(status, findings)));
          continue;
        }
        FindingsReports.Stored stored;
        try {
          stored = FindingsReports.read(report);
        } catch (IllegalArgumentException e) {
          throw new ExportBundles.Refused(
              e.getMessage() + " (" + name + "/" + component.name() + ")");
        }
        files.put("findings/" + name + "/reports/" + component.name() + ".json", stored.json());
        objects.merge("FindingsReport", 1, Integer::sum);
        scanned.add(
            new FindingsDocuments.Scanned(
                component.name(), component.image(), digest, stored.report(), null));
      }
      String version = release.getSpec().version();
      files.put(
          "findings/" + name + "/findings.sarif.json",
          FindingsDocuments.sarif(name, version, scanned, operatorVersion));
      files.put(
          "findings/" + name + "/findings.cdx.json",
          FindingsDocuments.cycloneDx(name, version, scanned, operatorVersion));
    }
    files.put("README.md", readme(export).getBytes(StandardCharsets.UTF_8));
    return new ExportBundles.Contents(
        ExportBundles.of(
            export, selector, "findings", files, objects, found.keyring(), operatorVersion),
        objects,
        List.of());
  }

  private static ComponentStatus statusOf(Release release, String component) {
    if (release.getStatus() == null || release.getStatus().getComponents() == null) {
      return null;
    }
    return release.getStatus().getComponents().stream()
        .filter(c -> component.equals(c.name()))
        .findFirst()
        .orElse(null);
  }

  private static String unscanned(
      ComponentStatus status, io.stellaops.crds.release.FindingsSummary findings) {
    if (status == null) {
      return "not verified yet: the Release has no status for it";
    }
    if (findings != null && findings.report() != null) {
      return "its findings report " + findings.report() + " is gone";
    }
    if (status.sbomDigest() == null) {
      return "no SBOM found for it";
    }
    return "no findings computed: no advisory feed was loaded when it was checked";
  }

  private static String readme(Export export) {
    return """
    # Findings export %s/%s

    | path | what |
    |---|---|
    | `findings/<release>/findings.sarif.json` | SARIF 2.1.0: a rule per advisory, a result per finding; VEX-suppressed ones carry a suppression with the statement; `runs[0].properties.components` says what each component was checked against and what was not checked |
    | `findings/<release>/findings.cdx.json` | CycloneDX 1.6: affected packages, a vulnerability per finding with its rating and VEX analysis; unscanned components named in the metadata |
    | `findings/<release>/reports/<component>.json` | each component's full findings report as the operator computed it |
    | `objects/Release/<name>.json` | the Release, with its status |
    """
            .formatted(export.getMetadata().getNamespace(), export.getMetadata().getName())
        + ExportBundles.VERIFY;
  }
}
