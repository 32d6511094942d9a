package io.stellaops.supplychain.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.stellaops.supplychain.sbom.Sbom;
import io.stellaops.supplychain.sbom.SbomComponent;
import io.stellaops.supplychain.version.VersRange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * VEX statements from OpenVEX (v0.0.1 and v0.2.0) and CycloneDX VEX documents, applied to the
 * findings of one product: the image digest, the SBOM's subject, or a package in it. When several
 * statements speak of one finding, the latest wins. Read as JSON trees: OpenVEX has no Java
 * library, and the few CycloneDX VEX fields used read the same way.
 *
 * <p>A document is refused, naming the statement, when it does not say something definite: an
 * OpenVEX status outside the vocabulary, {@code not_affected} without a justification or impact
 * statement, an unknown {@code @context}. A statement that can never apply (no product, a product
 * named by tag, a version range whose scheme has no known order) is kept out with a warning.
 */
public final class VexStatements {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final VexStatements NONE = new VexStatements(List.of(), List.of());
  private static final Set<String> OPENVEX_CONTEXTS =
      Set.of(
          "https://openvex.dev/ns",
          "https://openvex.dev/ns/v0.0.1",
          "https://openvex.dev/ns/v0.2.0");
  private static final Set<String> OPENVEX_STATUSES =
      Set.of("not_affected", "affected", "fixed", "under_investigation");
  private static final Set<String> OPENVEX_JUSTIFICATIONS =
      Set.of(
          "component_not_present",
          "vulnerable_code_not_present",
          "vulnerable_code_not_in_execute_path",
          "vulnerable_code_cannot_be_controlled_by_adversary",
          "inline_mitigations_already_exist");

  /**
   * A product a statement names: how it is named, the subcomponents it narrows to (none: all), and
   * the versions of the named thing it is limited to (none: all).
   */
  record ProductRef(Product product, List<String> subcomponents, List<VersionLimit> versions) {}

  /** How a statement names a product or package. */
  sealed interface Product {}

  /** A digest, {@code repo@sha256:…} or {@code pkg:oci/…@sha256%3A…}: one image. */
  record Named(String id) implements Product {}

  /** A CycloneDX BOM-Link {@code urn:cdx:<serial>/<version>#<bom-ref>}. */
  record BomLink(String serial, String bomRef) implements Product {}

  /**
   * A CycloneDX component the VEX document itself describes without a package URL ({@code
   * metadata.component} named {@code Acme Product}): the product whose SBOM subject has that name.
   */
  record Described(String name, String version) implements Product {}

  /**
   * A plain CycloneDX bom-ref that the VEX document does not define: a component of the SBOM it
   * accompanies, which is the SBOM with the same serial number, or with the same subject.
   */
  record SbomRef(String bomRef, String serial, String subjectPurl, String subjectName)
      implements Product {}

  /** {@code affects[].versions[]}: one version or a {@code vers:} range, with its own status. */
  record VersionLimit(String version, VersRange range, String status) {
    boolean contains(String v) {
      return v != null && (range != null ? range.contains(v) : version.equals(v));
    }
  }

  record Statement(
      Set<String> vulnerabilities,
      List<ProductRef> products,
      String status,
      String justification,
      String text,
      OffsetDateTime timestamp,
      String document,
      int order) {}

  private final List<Statement> statements;
  private final List<String> warnings;

  private VexStatements(List<Statement> statements, List<String> warnings) {
    this.statements = statements;
    this.warnings = warnings;
  }

  public static VexStatements none() {
    return NONE;
  }

  /** Documents by name (shown in findings); each OpenVEX or CycloneDX VEX JSON. */
  public static VexStatements parse(Map<String, byte[]> documents) throws VexException {
    List<Statement> all = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (var document : documents.entrySet()) {
      all.addAll(parse(document.getKey(), document.getValue(), all.size(), warnings));
    }
    return new VexStatements(List.copyOf(all), List.copyOf(warnings));
  }

  /** The statements of several sets, e.g. of every advisory feed; the latest still wins. */
  public static VexStatements combine(List<VexStatements> sets) {
    List<Statement> all = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (VexStatements set : sets) {
      warnings.addAll(set.warnings);
      for (Statement s : set.statements) {
        all.add(
            new Statement(
                s.vulnerabilities(),
                s.products(),
                s.status(),
                s.justification(),
                s.text(),
                s.timestamp(),
                s.document(),
                all.size()));
      }
    }
    return new VexStatements(List.copyOf(all), List.copyOf(warnings));
  }

  public int size() {
    return statements.size();
  }

  /** Statements kept out because they can never apply, each naming document and statement. */
  public List<String> warnings() {
    return warnings;
  }

  private static List<Statement> parse(String name, byte[] bytes, int order, List<String> warnings)
      throws VexException {
    JsonNode doc;
    try {
      doc = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new VexException(name + ": not JSON: " + e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new VexException(name + ": not a VEX document (a JSON object)");
    }
    String context = doc.path("@context").asText("");
    if (context.startsWith("https://openvex.dev/ns")) {
      if (!OPENVEX_CONTEXTS.contains(context)) {
        throw new VexException(
            name
                + ": OpenVEX @context "
                + context
                + " is not a version this reader knows"
                + " (v0.0.1, v0.2.0)");
      }
      return openVex(name, doc, order, warnings);
    }
    if ("CycloneDX".equals(doc.path("bomFormat").asText())) {
      return cycloneDx(name, doc, order, warnings);
    }
    throw new VexException(
        name + ": neither OpenVEX (@context https://openvex.dev/ns/…) nor CycloneDX (bomFormat)");
  }

  private static List<Statement> openVex(
      String name, JsonNode doc, int order, List<String> warnings) throws VexException {
    List<Statement> out = new ArrayList<>();
    OffsetDateTime documentTime = time(doc.path("timestamp").asText(null));
    int index = 0;
    for (JsonNode s : doc.path("statements")) {
      String where = name + ": statement " + index++;
      Set<String> ids = new TreeSet<>();
      JsonNode vulnerability = s.path("vulnerability");
      if (vulnerability.isTextual()) {
        ids.add(vulnerability.asText()); // v0.0.1
      } else {
        addText(ids, vulnerability.path("name"));
        vulnerability.path("aliases").forEach(a -> addText(ids, a));
      }
      String status = s.path("status").asText(null);
      if (ids.isEmpty() || status == null) {
        throw new VexException(where + " has no vulnerability or status");
      }
      where += " (" + String.join(", ", ids) + ")";
      if (!OPENVEX_STATUSES.contains(status)) {
        throw new VexException(
            where + ": status " + status + " is not one of " + new TreeSet<>(OPENVEX_STATUSES));
      }
      String justification = s.path("justification").asText(null);
      String impact = s.path("impact_statement").asText(null);
      if (justification != null && !OPENVEX_JUSTIFICATIONS.contains(justification)) {
        throw new VexException(
            where
                + ": justification "
                + justification
                + " is not one of "
                + new TreeSet<>(OPENVEX_JUSTIFICATIONS));
      }
      if (status.equals("not_affected")
          && justification == null
          && (impact == null || impact.isBlank())) {
        throw new VexException(
            where + ": not_affected needs a justification or an impact_statement");
      }
      List<String> statementSubs = ids(s.path("subcomponents")); // v0.0.1
      List<ProductRef> products = new ArrayList<>();
      for (JsonNode p : s.path("products")) {
        String id = productId(p);
        List<String> subs = p.isTextual() ? statementSubs : ids(p.path("subcomponents"));
        if (id == null) {
          warnings.add(where + ": a product with neither @id nor a purl identifier is ignored");
        } else if (!canName(id)) {
          warnings.add(
              where
                  + ": product "
                  + id
                  + " is neither a package URL nor an image digest (a tag?): it can never apply");
        } else {
          products.add(new ProductRef(product(id), subs, List.of()));
        }
      }
      if (products.isEmpty()) {
        warnings.add(where + ": names no product it can apply to; ignored");
        continue;
      }
      OffsetDateTime time = time(s.path("timestamp").asText(null));
      out.add(
          new Statement(
              ids,
              products,
              status,
              justification,
              impact != null ? impact : s.path("action_statement").asText(null),
              time != null ? time : documentTime,
              name,
              order + out.size()));
    }
    return out;
  }

  /** Whether a product id can ever name what findings are about: a package or an image digest. */
  private static boolean canName(String id) {
    if (id.startsWith("urn:cdx:")) {
      return true;
    }
    String decoded = URLDecoder.decode(id, StandardCharsets.UTF_8);
    if (decoded.startsWith("pkg:oci/")) {
      return decoded.contains("@sha256:");
    }
    return id.startsWith("pkg:") || decoded.startsWith("sha256:") || decoded.contains("@sha256:");
  }

  private static Product product(String id) {
    if (id.startsWith("urn:cdx:")) {
      String serial = id.substring("urn:cdx:".length(), Math.max(id.indexOf('/'), 8));
      String bomRef = id.contains("#") ? id.substring(id.indexOf('#') + 1) : "";
      return new BomLink(serial, bomRef);
    }
    return new Named(id);
  }

  private static List<Statement> cycloneDx(
      String name, JsonNode doc, int order, List<String> warnings) {
    Map<String, JsonNode> defined = new HashMap<>();
    JsonNode subject = doc.path("metadata").path("component");
    collect(subject, defined);
    doc.path("components").forEach(c -> collect(c, defined));
    String serial = doc.path("serialNumber").asText(null);
    List<Statement> out = new ArrayList<>();
    int index = 0;
    for (JsonNode v : doc.path("vulnerabilities")) {
      String where = name + ": vulnerabilities[" + index++ + "] (" + v.path("id").asText() + ")";
      JsonNode analysis = v.path("analysis");
      String status = cycloneDxStatus(analysis.path("state").asText(""));
      if (status == null || v.path("id").asText("").isEmpty()) {
        continue; // no analysis: a plain vulnerability listing, not a VEX statement
      }
      Set<String> ids = new TreeSet<>(Set.of(v.path("id").asText()));
      v.path("references").forEach(r -> addText(ids, r.path("id")));
      List<ProductRef> products = new ArrayList<>();
      for (JsonNode a : v.path("affects")) {
        String ref = a.path("ref").asText("");
        List<VersionLimit> versions = new ArrayList<>();
        boolean readable = true;
        for (JsonNode limit : a.path("versions")) {
          try {
            versions.add(
                new VersionLimit(
                    limit.path("version").asText(null),
                    limit.hasNonNull("range") ? VersRange.parse(limit.get("range").asText()) : null,
                    cycloneDxVersionStatus(limit.path("status").asText(null))));
          } catch (IllegalArgumentException e) {
            warnings.add(where + ": affects " + ref + ": " + e.getMessage() + "; ignored");
            readable = false;
          }
        }
        if (!readable) {
          continue;
        }
        Product product = cycloneDxProduct(ref, defined, serial, subject);
        if (product == null) {
          warnings.add(where + ": affects names no component (ref \"" + ref + "\"); ignored");
          continue;
        }
        products.add(new ProductRef(product, List.of(), List.copyOf(versions)));
      }
      if (products.isEmpty()) {
        warnings.add(where + ": names no product it can apply to; ignored");
        continue;
      }
      out.add(
          new Statement(
              ids,
              products,
              status,
              analysis.path("justification").asText(null),
              analysis.path("detail").asText(null),
              time(analysis.path("lastUpdated").asText(null)),
              name,
              order + out.size()));
    }
    return out;
  }

  /**
   * What an {@code affects[].ref} names: a BOM-Link, a package URL, a component this document
   * defines (by its purl, else by name), or a bom-ref of the SBOM this document accompanies.
   */
  private static Product cycloneDxProduct(
      String ref, Map<String, JsonNode> defined, String serial, JsonNode subject) {
    if (ref.isEmpty()) {
      return null;
    }
    if (ref.startsWith("urn:cdx:") || ref.startsWith("pkg:")) {
      return product(ref);
    }
    JsonNode component = defined.get(ref);
    if (component != null) {
      String purl = component.path("purl").asText(null);
      return purl != null
          ? new Named(purl)
          : new Described(component.path("name").asText(), component.path("version").asText(null));
    }
    return new SbomRef(
        ref, serial, subject.path("purl").asText(null), subject.path("name").asText(null));
  }

  private static void collect(JsonNode component, Map<String, JsonNode> into) {
    if (component.hasNonNull("bom-ref")) {
      into.put(component.get("bom-ref").asText(), component);
    }
    component.path("components").forEach(c -> collect(c, into));
  }

  private static String cycloneDxStatus(String state) {
    return switch (state) {
      case "not_affected", "false_positive" -> "not_affected";
      case "resolved", "resolved_with_pedigree" -> "fixed";
      case "in_triage" -> "under_investigation";
      case "exploitable" -> "affected";
      default -> null;
    };
  }

  /** A version entry's own status, in OpenVEX's words; null when it has none. */
  private static String cycloneDxVersionStatus(String status) {
    return status == null
        ? null
        : switch (status) {
          case "affected" -> "affected";
          case "unaffected" -> "not_affected";
          default -> "under_investigation";
        };
  }

  /**
   * The latest statement about {@code finding} in the product of {@code sbom} at {@code digest}.
   */
  public Optional<VexVerdict> verdict(Sbom sbom, String digest, Finding finding) {
    Statement latest = null;
    String latestStatus = null;
    for (Statement s : statements) {
      if (Collections.disjoint(s.vulnerabilities(), finding.ids())) {
        continue;
      }
      String status = null;
      for (ProductRef p : s.products()) {
        status = applies(p, s.status(), sbom, digest, finding);
        if (status != null) {
          break;
        }
      }
      if (status != null && (latest == null || later(s, latest))) {
        latest = s;
        latestStatus = status;
      }
    }
    if (latest == null) {
      return Optional.empty();
    }
    return Optional.of(
        new VexVerdict(latestStatus, latest.justification(), latest.text(), latest.document()));
  }

  private static boolean later(Statement a, Statement b) {
    if (a.timestamp() != null && b.timestamp() != null && !a.timestamp().isEqual(b.timestamp())) {
      return a.timestamp().isAfter(b.timestamp());
    }
    return a.order() > b.order();
  }

  /**
   * The status {@code ref} gives the finding, null when it does not speak of it: the statement's
   * own, or that of the version entry the named thing's version falls in.
   */
  private static String applies(
      ProductRef ref, String status, Sbom sbom, String digest, Finding finding) {
    SbomComponent subject = sbom == null ? null : sbom.subject();
    return switch (ref.product()) {
      case BomLink link -> {
        if (link.bomRef().startsWith("pkg:")) {
          yield limited(ref, status, samePackage(link.bomRef(), finding.purl()), finding.version());
        }
        boolean thisSbom =
            sbom != null && ("urn:uuid:" + link.serial()).equals(sbom.serialNumber());
        yield thisSbom ? byBomRef(ref, status, sbom, link.bomRef(), finding) : null;
      }
      case SbomRef local ->
          accompanies(local, sbom) ? byBomRef(ref, status, sbom, local.bomRef(), finding) : null;
      case Described described -> {
        if (subject == null || !described.name().equals(subject.name())) {
          yield null;
        }
        if (ref.versions().isEmpty() && described.version() != null) {
          yield described.version().equals(subject.version()) ? status : null;
        }
        yield wholeProduct(ref, status, finding, subject.version());
      }
      case Named named -> {
        if (isImage(named.id(), digest)) {
          // a digest is one version: no range narrows it further
          yield wholeProduct(ref, status, finding, null);
        }
        if (isSubject(named.id(), sbom)) {
          yield wholeProduct(ref, status, finding, subject.version());
        }
        yield limited(ref, status, samePackage(named.id(), finding.purl()), finding.version());
      }
    };
  }

  /**
   * The SBOM a plain bom-ref points into: the one with the VEX document's serial number, or whose
   * subject the VEX document names (same purl, or same name when it gives no purl).
   */
  private static boolean accompanies(SbomRef local, Sbom sbom) {
    if (sbom == null) {
      return false;
    }
    if (local.serial() != null && local.serial().equals(sbom.serialNumber())) {
      return true;
    }
    SbomComponent subject = sbom.subject();
    if (subject == null) {
      return false;
    }
    return local.subjectPurl() != null
        ? local.subjectPurl().equals(subject.purl())
        : local.subjectName() != null && local.subjectName().equals(subject.name());
  }

  /** A bom-ref of this SBOM: its subject (the whole product) or one of its components. */
  private static String byBomRef(
      ProductRef ref, String status, Sbom sbom, String bomRef, Finding finding) {
    SbomComponent subject = sbom.subject();
    if (subject != null && bomRef.equals(subject.bomRef())) {
      return wholeProduct(ref, status, finding, subject.version());
    }
    return limited(ref, status, hasComponent(sbom, bomRef, finding.purl()), finding.version());
  }

  /** The whole product at {@code version}, narrowed to the statement's subcomponents. */
  private static String wholeProduct(
      ProductRef ref, String status, Finding finding, String version) {
    boolean inScope =
        ref.subcomponents().isEmpty()
            || ref.subcomponents().stream().anyMatch(sub -> samePackage(sub, finding.purl()));
    return limited(ref, status, inScope, version);
  }

  /**
   * {@code status} when {@code named} and the version of what was named lies within the statement's
   * version limits (any, when it has none); the matching limit's own status wins. A limited
   * statement about something of unknown version does not apply.
   */
  private static String limited(ProductRef ref, String status, boolean named, String version) {
    if (!named) {
      return null;
    }
    if (ref.versions().isEmpty()) {
      return status;
    }
    for (VersionLimit limit : ref.versions()) {
      if (limit.contains(version)) {
        return limit.status() != null ? limit.status() : status;
      }
    }
    return null;
  }

  private static boolean hasComponent(Sbom sbom, String bomRef, String purl) {
    return sbom.components().stream()
        .anyMatch(c -> bomRef.equals(c.bomRef()) && Objects.equals(c.purl(), purl));
  }

  /** A digest, {@code repo@sha256:…}, or {@code pkg:oci/…@sha256%3A…} naming this image. */
  private static boolean isImage(String id, String digest) {
    if (digest == null) {
      return false;
    }
    String decoded = URLDecoder.decode(id, StandardCharsets.UTF_8);
    return decoded.equals(digest)
        || decoded.endsWith("@" + digest)
        || decoded.contains("@" + digest + "?");
  }

  private static boolean isSubject(String id, Sbom sbom) {
    return sbom != null
        && sbom.subject() != null
        && sbom.subject().purl() != null
        && samePackage(id, sbom.subject().purl());
  }

  /** Same type, namespace and name; the version too when the statement gives one. */
  static boolean samePackage(String statementPurl, String purl) {
    if (purl == null || !statementPurl.startsWith("pkg:")) {
      return false;
    }
    try {
      PackageURL a = new PackageURL(statementPurl);
      PackageURL b = new PackageURL(purl);
      return a.getType().equals(b.getType())
          && Objects.equals(a.getNamespace(), b.getNamespace())
          && a.getName().equals(b.getName())
          && (a.getVersion() == null || a.getVersion().equals(b.getVersion()));
    } catch (MalformedPackageURLException e) {
      return false;
    }
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : list) {
      String id = productId(n);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** An OpenVEX product or subcomponent: a string, its {@code @id}, else its purl identifier. */
  private static String productId(JsonNode n) {
    String id = n.isTextual() ? n.asText() : n.path("@id").asText(null);
    return id != null ? id : n.path("identifiers").path("purl").asText(null);
  }

  private static void addText(Set<String> into, JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank()) {
      into.add(node.asText());
    }
  }

  private static OffsetDateTime time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
