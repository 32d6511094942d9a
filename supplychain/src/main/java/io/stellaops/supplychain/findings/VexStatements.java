package io.stellaops.supplychain.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.stellaops.supplychain.sbom.Sbom;
import io.stellaops.supplychain.sbom.SbomComponent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
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
 */
public final class VexStatements {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final VexStatements NONE = new VexStatements(List.of());

  /** A product a statement names, with the subcomponents it narrows to (none: all). */
  record ProductRef(String id, List<String> subcomponents) {}

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

  private VexStatements(List<Statement> statements) {
    this.statements = statements;
  }

  public static VexStatements none() {
    return NONE;
  }

  /** Documents by name (shown in findings); each OpenVEX or CycloneDX VEX JSON. */
  public static VexStatements parse(Map<String, byte[]> documents) throws VexException {
    List<Statement> all = new ArrayList<>();
    for (var document : documents.entrySet()) {
      all.addAll(parse(document.getKey(), document.getValue(), all.size()));
    }
    return new VexStatements(List.copyOf(all));
  }

  /** The statements of several sets, e.g. of every advisory feed; the latest still wins. */
  public static VexStatements combine(List<VexStatements> sets) {
    List<Statement> all = new ArrayList<>();
    for (VexStatements set : sets) {
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
    return new VexStatements(List.copyOf(all));
  }

  public int size() {
    return statements.size();
  }

  private static List<Statement> parse(String name, byte[] bytes, int order) throws VexException {
    JsonNode doc;
    try {
      doc = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new VexException(name + ": not JSON: " + e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new VexException(name + ": not a VEX document (a JSON object)");
    }
    if (doc.path("@context").asText("").startsWith("https://openvex.dev/ns")) {
      return openVex(name, doc, order);
    }
    if ("CycloneDX".equals(doc.path("bomFormat").asText())) {
      return cycloneDx(name, doc, order);
    }
    throw new VexException(
        name + ": neither OpenVEX (@context https://openvex.dev/ns/…) nor CycloneDX (bomFormat)");
  }

  private static List<Statement> openVex(String name, JsonNode doc, int order) throws VexException {
    List<Statement> out = new ArrayList<>();
    OffsetDateTime documentTime = time(doc.path("timestamp").asText(null));
    for (JsonNode s : doc.path("statements")) {
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
        throw new VexException(
            name + ": statement " + out.size() + " has no vulnerability or status");
      }
      List<String> statementSubs = ids(s.path("subcomponents")); // v0.0.1
      List<ProductRef> products = new ArrayList<>();
      for (JsonNode p : s.path("products")) {
        String id = productId(p);
        List<String> subs = p.isTextual() ? statementSubs : ids(p.path("subcomponents"));
        if (id != null) {
          products.add(new ProductRef(id, subs));
        }
      }
      OffsetDateTime time = time(s.path("timestamp").asText(null));
      out.add(
          new Statement(
              ids,
              products,
              status,
              s.path("justification").asText(null),
              s.path("impact_statement").asText(s.path("action_statement").asText(null)),
              time != null ? time : documentTime,
              name,
              order + out.size()));
    }
    return out;
  }

  private static List<Statement> cycloneDx(String name, JsonNode doc, int order) {
    List<Statement> out = new ArrayList<>();
    for (JsonNode v : doc.path("vulnerabilities")) {
      JsonNode analysis = v.path("analysis");
      String status =
          switch (analysis.path("state").asText("")) {
            case "not_affected", "false_positive" -> "not_affected";
            case "resolved", "resolved_with_pedigree" -> "fixed";
            case "in_triage" -> "under_investigation";
            case "exploitable" -> "affected";
            default -> null;
          };
      if (status == null || v.path("id").asText("").isEmpty()) {
        continue; // no analysis: a plain vulnerability listing, not a VEX statement
      }
      Set<String> ids = new TreeSet<>(Set.of(v.path("id").asText()));
      v.path("references").forEach(r -> addText(ids, r.path("id")));
      List<ProductRef> products = new ArrayList<>();
      v.path("affects")
          .forEach(a -> products.add(new ProductRef(a.path("ref").asText(), List.of())));
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
   * The latest statement about {@code finding} in the product of {@code sbom} at {@code digest}.
   */
  public Optional<VexVerdict> verdict(Sbom sbom, String digest, Finding finding) {
    Statement latest = null;
    for (Statement s : statements) {
      if (Collections.disjoint(s.vulnerabilities(), finding.ids())) {
        continue;
      }
      if (s.products().stream().noneMatch(p -> applies(p, sbom, digest, finding.purl()))) {
        continue;
      }
      if (latest == null || later(s, latest)) {
        latest = s;
      }
    }
    return Optional.ofNullable(latest)
        .map(s -> new VexVerdict(s.status(), s.justification(), s.text(), s.document()));
  }

  private static boolean later(Statement a, Statement b) {
    if (a.timestamp() != null && b.timestamp() != null && !a.timestamp().isEqual(b.timestamp())) {
      return a.timestamp().isAfter(b.timestamp());
    }
    return a.order() > b.order();
  }

  private static boolean applies(ProductRef ref, Sbom sbom, String digest, String purl) {
    String id = ref.id();
    boolean wholeProduct;
    if (id.startsWith("urn:cdx:")) {
      String serial = id.substring("urn:cdx:".length(), Math.max(id.indexOf('/'), 8));
      String bomRef = id.contains("#") ? id.substring(id.indexOf('#') + 1) : "";
      if (bomRef.startsWith("pkg:")) {
        return samePackage(bomRef, purl);
      }
      boolean thisBom = sbom != null && ("urn:uuid:" + serial).equals(sbom.serialNumber());
      if (!thisBom) {
        return false;
      }
      SbomComponent subject = sbom.subject();
      if (subject != null && bomRef.equals(subject.bomRef())) {
        wholeProduct = true;
      } else {
        return sbom.components().stream()
            .anyMatch(c -> bomRef.equals(c.bomRef()) && Objects.equals(c.purl(), purl));
      }
    } else {
      wholeProduct = isImage(id, digest) || isSubject(id, sbom);
      if (!wholeProduct) {
        return samePackage(id, purl);
      }
    }
    return ref.subcomponents().isEmpty()
        || ref.subcomponents().stream().anyMatch(sub -> samePackage(sub, purl));
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
