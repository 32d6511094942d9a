package io.stellaops.controllers.release;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.stellaops.supplychain.findings.Finding;
import io.stellaops.supplychain.findings.FindingsReport;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the findings report ConfigMaps {@link ReleaseFindings} writes: kept beside the writer so
 * the key and the field names live in one package.
 */
public final class FindingsReports {
  /** The binary data key of a report ConfigMap: the canonical JSON report, gzipped. */
  public static final String DATA_KEY = "report.json.gz";

  /** Field names ReleaseFindings writes and this class reads. */
  static final String SBOM_DIGEST = "sbomDigest";

  static final String FEEDS = "feeds";
  static final String COMPONENTS_CHECKED = "componentsChecked";
  static final String UNCHECKED = "unchecked";
  static final String FINDINGS = "findings";

  // reports written by older operators may carry fields this one does not know
  private static final ObjectMapper LENIENT =
      CanonicalJson.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private FindingsReports() {}

  /** A stored report: its canonical JSON as written, and what it says. */
  public record Stored(byte[] json, FindingsReport report) {}

  /** The report {@code configMap} holds; refused with the reason if it holds none or is broken. */
  public static Stored read(ConfigMap configMap) {
    String name = configMap.getMetadata().getName();
    String gz = configMap.getBinaryData() == null ? null : configMap.getBinaryData().get(DATA_KEY);
    if (gz == null) {
      throw new IllegalArgumentException("findings report " + name + " has no " + DATA_KEY);
    }
    byte[] json;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(gz)))) {
      json = in.readAllBytes();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "findings report " + name + " cannot be read: " + e.getMessage());
    }
    return new Stored(json, parse(json, name));
  }

  static FindingsReport parse(byte[] json, String name) {
    try {
      var node = LENIENT.readTree(json);
      List<Finding> findings =
          LENIENT.readerForListOf(Finding.class).readValue(node.path(FINDINGS));
      List<FindingsReport.Unchecked> unchecked =
          LENIENT.readerForListOf(FindingsReport.Unchecked.class).readValue(node.path(UNCHECKED));
      return new FindingsReport(
          node.path(SBOM_DIGEST).asText(null),
          node.path(FEEDS).asText(null),
          findings,
          node.path(COMPONENTS_CHECKED).asInt(),
          unchecked);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "findings report " + name + " cannot be read: " + e.getMessage());
    }
  }
}
