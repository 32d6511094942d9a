package io.stellaops.supplychain.findings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.advisory.Severity;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * A release's findings as documents other tools read: SARIF 2.1.0 (code scanning dashboards) and a
 * CycloneDX 1.6 vulnerability disclosure report with VEX analysis. Deterministic: the same reports
 * make the same bytes (the CycloneDX serial number is derived from them, no timestamps). Components
 * without findings data are named in both, never shown as clean.
 */
public final class FindingsDocuments {
  public static final String TOOL = "Stella Operator";

  private FindingsDocuments() {}

  /**
   * One component of a release and its findings report; {@code report} null with {@code unscanned}
   * saying why when there is none.
   */
  public record Scanned(
      String name, String image, String digest, FindingsReport report, String unscanned) {}

  /** SARIF 2.1.0: one run, a rule per advisory, a result per finding (VEX-suppressed marked). */
  public static byte[] sarif(
      String release, String version, List<Scanned> components, String toolVersion) {
    ObjectNode log = CanonicalJson.MAPPER.createObjectNode();
    log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", TOOL);
    driver.put("version", toolVersion);
    driver.put("informationUri", "https://stellaops.io");
    ArrayNode rules = driver.putArray("rules");
    ArrayNode results = run.putArray("results");
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    for (Scanned c : components) {
      if (c.report() == null) {
        continue;
      }
      for (Finding f : c.report().findings()) {
        Integer index = ruleIndex.get(f.id());
        if (index == null) {
          index = ruleIndex.size();
          ruleIndex.put(f.id(), index);
          ObjectNode rule = rules.addObject();
          rule.put("id", f.id());
          rule.putObject("shortDescription")
              .put("text", f.summary() == null ? f.id() : f.summary());
          rule.putObject("defaultConfiguration").put("level", level(f.severity()));
          ObjectNode properties = rule.putObject("properties");
          properties.putArray("tags").add("security").add("vulnerability");
          if (f.score() != null) {
            properties.put(
                "security-severity", String.format(java.util.Locale.ROOT, "%.1f", f.score()));
          }
        }
        ObjectNode result = results.addObject();
        result.put("ruleId", f.id());
        result.put("ruleIndex", index);
        result.put("level", level(f.severity()));
        result
            .putObject("message")
            .put(
                "text",
                f.packageName()
                    + " "
                    + f.version()
                    + " in "
                    + c.name()
                    + " is affected by "
                    + f.id()
                    + " ("
                    + f.severity()
                    + ")"
                    + (f.fixedIn() == null || f.fixedIn().isEmpty()
                        ? ""
                        : "; fixed in " + String.join(", ", f.fixedIn())));
        ObjectNode location = result.putArray("locations").addObject();
        location
            .putObject("physicalLocation")
            .putObject("artifactLocation")
            .put("uri", f.purl() != null ? f.purl() : c.image() + "@" + c.digest());
        location
            .putArray("logicalLocations")
            .addObject()
            .put("name", f.packageName())
            .put("fullyQualifiedName", c.name() + "/" + f.purl())
            .put("kind", "package");
        result
            .putObject("partialFingerprints")
            .put(
                "stellaops/v1",
                Sha256.hex(
                    (c.name() + "|" + f.id() + "|" + f.purl()).getBytes(StandardCharsets.UTF_8)));
        if (f.vex() != null && f.suppressed()) {
          result
              .putArray("suppressions")
              .addObject()
              .put("kind", "external")
              .put("status", "accepted")
              .put("justification", vexText(f.vex()));
        }
        ObjectNode properties = result.putObject("properties");
        properties.put("component", c.name());
        properties.put("image", c.image() + "@" + c.digest());
        properties.put("severity", f.severity().name());
        if (f.aliases() != null && !f.aliases().isEmpty()) {
          properties.set("aliases", CanonicalJson.MAPPER.valueToTree(f.aliases()));
        }
        if (f.vex() != null) {
          properties.put("vex", f.vex().status());
        }
      }
    }
    ObjectNode properties = run.putObject("properties");
    properties.put("release", release);
    properties.put("version", version);
    properties.set("components", coverage(components));
    return CanonicalJson.bytes(log);
  }

  /** Per component: its digest, SBOM and feed, how many packages were checked, what was not. */
  private static ArrayNode coverage(List<Scanned> components) {
    ArrayNode list = CanonicalJson.MAPPER.createArrayNode();
    for (Scanned c : components) {
      ObjectNode entry = list.addObject();
      entry.put("name", c.name());
      entry.put("image", c.image() + "@" + c.digest());
      if (c.report() == null) {
        entry.put("unscanned", c.unscanned());
        continue;
      }
      entry.put("sbom", c.report().sbomDigest());
      entry.put("feed", c.report().feedDigest());
      entry.put("packagesChecked", c.report().componentsChecked());
      entry.set(
          "packagesUnchecked", CanonicalJson.MAPPER.valueToTree(c.report().uncheckedByGroup()));
    }
    return list;
  }

  private static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM, UNKNOWN -> "warning";
      case LOW -> "note";
    };
  }

  private static String vexText(VexVerdict vex) {
    return "VEX "
        + vex.status()
        + (vex.justification() == null ? "" : " (" + vex.justification() + ")")
        + (vex.statement() == null ? "" : ": " + vex.statement())
        + (vex.document() == null ? "" : ", per " + vex.document());
  }

  /**
   * CycloneDX 1.6: the release as the subject, every affected package a component (its purl the
   * bom-ref), a vulnerability per finding with its rating and, where VEX spoke, its analysis.
   */
  public static byte[] cycloneDx(
      String release, String version, List<Scanned> components, String toolVersion) {
    Bom bom = new Bom();
    List<String> seed = new ArrayList<>(List.of(release, version));
    Metadata metadata = new Metadata();
    // cyclonedx-core-java stamps "now": without it, the same findings make the same bytes
    metadata.setTimestamp(null);
    Component subject = new Component();
    subject.setType(Component.Type.APPLICATION);
    subject.setName(release);
    subject.setVersion(version);
    subject.setBomRef("release:" + release);
    List<Property> properties = new ArrayList<>();
    properties.add(property("stellaops:tool", TOOL + " " + toolVersion));
    for (Scanned c : components) {
      properties.add(
          property(
              "stellaops:component:" + c.name(),
              c.image()
                  + "@"
                  + c.digest()
                  + (c.report() == null
                      ? " unscanned: " + c.unscanned()
                      : " sbom " + c.report().sbomDigest() + ", feed " + c.report().feedDigest())));
      seed.add(
          c.name()
              + "@"
              + c.digest()
              + "="
              + (c.report() == null ? "-" : c.report().sbomDigest() + c.report().feedDigest()));
    }
    subject.setProperties(properties);
    metadata.setComponent(subject);
    bom.setMetadata(metadata);
    Map<String, Component> packages = new TreeMap<>();
    List<Vulnerability> vulnerabilities = new ArrayList<>();
    for (Scanned c : components) {
      if (c.report() == null) {
        continue;
      }
      for (Finding f : c.report().findings()) {
        String ref =
            f.purl() != null ? f.purl() : c.name() + "/" + f.packageName() + "@" + f.version();
        packages.computeIfAbsent(
            ref,
            r -> {
              Component p = new Component();
              p.setType(Component.Type.LIBRARY);
              p.setName(f.packageName());
              p.setVersion(f.version());
              p.setPurl(f.purl());
              p.setBomRef(r);
              return p;
            });
        Vulnerability v = new Vulnerability();
        v.setBomRef("vuln:" + c.name() + ":" + f.id() + ":" + ref);
        v.setId(f.id());
        Vulnerability.Source source = new Vulnerability.Source();
        source.setName("OSV");
        source.setUrl("https://osv.dev/vulnerability/" + f.id());
        v.setSource(source);
        Vulnerability.Rating rating = new Vulnerability.Rating();
        rating.setSeverity(cdxSeverity(f.severity()));
        rating.setScore(f.score());
        v.setRatings(List.of(rating));
        v.setDescription(f.summary());
        if (f.fixedIn() != null && !f.fixedIn().isEmpty()) {
          v.setRecommendation("Upgrade to " + String.join(" or ", f.fixedIn()));
        }
        Vulnerability.Affect affect = new Vulnerability.Affect();
        affect.setRef(ref);
        v.setAffects(List.of(affect));
        if (f.vex() != null) {
          v.setAnalysis(analysis(f.vex()));
        }
        v.setProperties(List.of(property("stellaops:component", c.name())));
        vulnerabilities.add(v);
        seed.add(v.getBomRef() + (f.vex() == null ? "" : f.vex().status()));
      }
    }
    bom.setComponents(new ArrayList<>(packages.values()));
    bom.setVulnerabilities(vulnerabilities);
    bom.setSerialNumber(
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(String.join("\n", seed).getBytes(StandardCharsets.UTF_8)));
    bom.setVersion(1);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom)
          .toJsonString()
          .getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the CycloneDX document of " + release, e);
    }
  }

  private static Property property(String name, String value) {
    Property p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }

  private static Vulnerability.Rating.Severity cdxSeverity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> Vulnerability.Rating.Severity.CRITICAL;
      case HIGH -> Vulnerability.Rating.Severity.HIGH;
      case MEDIUM -> Vulnerability.Rating.Severity.MEDIUM;
      case LOW -> Vulnerability.Rating.Severity.LOW;
      case UNKNOWN -> Vulnerability.Rating.Severity.UNKNOWN;
    };
  }

  /** A VEX verdict (OpenVEX or CycloneDX words) as CycloneDX analysis. */
  private static Vulnerability.Analysis analysis(VexVerdict vex) {
    Vulnerability.Analysis analysis = new Vulnerability.Analysis();
    analysis.setState(
        switch (vex.status()) {
          case "not_affected" -> Vulnerability.Analysis.State.NOT_AFFECTED;
          case "fixed" -> Vulnerability.Analysis.State.RESOLVED;
          case "affected" -> Vulnerability.Analysis.State.EXPLOITABLE;
          default -> Vulnerability.Analysis.State.IN_TRIAGE;
        });
    if (vex.justification() != null) {
      Vulnerability.Analysis.Justification justification =
          switch (vex.justification()) {
            case "component_not_present", "vulnerable_code_not_present", "code_not_present" ->
                Vulnerability.Analysis.Justification.CODE_NOT_PRESENT;
            case "vulnerable_code_not_in_execute_path", "code_not_reachable" ->
                Vulnerability.Analysis.Justification.CODE_NOT_REACHABLE;
            case "vulnerable_code_cannot_be_controlled_by_adversary",
                "inline_mitigations_already_exist",
                "protected_by_mitigating_control" ->
                Vulnerability.Analysis.Justification.PROTECTED_BY_MITIGATING_CONTROL;
            case "requires_configuration" ->
                Vulnerability.Analysis.Justification.REQUIRES_CONFIGURATION;
            case "requires_dependency" -> Vulnerability.Analysis.Justification.REQUIRES_DEPENDENCY;
            case "requires_environment" ->
                Vulnerability.Analysis.Justification.REQUIRES_ENVIRONMENT;
            case "protected_by_compiler" ->
                Vulnerability.Analysis.Justification.PROTECTED_BY_COMPILER;
            case "protected_at_runtime" ->
                Vulnerability.Analysis.Justification.PROTECTED_AT_RUNTIME;
            case "protected_at_perimeter" ->
                Vulnerability.Analysis.Justification.PROTECTED_AT_PERIMETER;
            default -> null;
          };
      analysis.setJustification(justification);
    }
    String detail =
        (vex.statement() == null ? "" : vex.statement())
            + (vex.document() == null
                ? ""
                : (vex.statement() == null ? "" : " ") + "(" + vex.document() + ")");
    if (!detail.isBlank()) {
      analysis.setDetail(detail);
    }
    return analysis;
  }
}
