package io.stellaops.supplychain.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.ExternalRef;
import org.spdx.library.model.v2.SpdxConstantsCompatV2;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxElement;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * SPDX 2.2 and 2.3 JSON SBOMs ({@code syft -o spdx-json}, {@code cosign attest --type spdxjson}),
 * read with the SPDX project's own Java library: each package with its name, version and {@code
 * purl} external reference. A single package the document describes is its subject, as CycloneDX's
 * {@code metadata.component}; with several, all are components.
 */
final class SpdxDocuments {
  private static final String PURL = "purl";

  static {
    // offline first: the library would otherwise fetch the license list from spdx.org
    if (System.getProperty("org.spdx.useJARLicenseInfoOnly") == null) {
      System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
    }
    SpdxModelFactory.init();
  }

  private SpdxDocuments() {}

  /** A JSON object whose {@code spdxVersion} is 2.x. */
  static boolean looksLikeSpdx(byte[] bytes) {
    try {
      JsonNode doc = CanonicalJson.MAPPER.readTree(bytes);
      return doc != null && doc.path("spdxVersion").asText("").startsWith("SPDX-2.");
    } catch (IOException e) {
      return false;
    }
  }

  static Sbom parse(byte[] bytes) throws SbomException {
    MultiFormatStore store =
        new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON);
    try {
      SpdxDocument doc = store.deSerialize(new ByteArrayInputStream(bytes), false);
      String uri = doc.getDocumentUri();
      Collection<SpdxElement> described = doc.getDocumentDescribes();
      String subjectId = described.size() == 1 ? described.iterator().next().getId() : null;
      SbomComponent subject = null;
      List<SbomComponent> components = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (var item : store.getAllItems(uri, SpdxConstantsCompatV2.CLASS_SPDX_PACKAGE).toList()) {
        String id = item.getObjectUri().substring(uri.length() + 1);
        SpdxPackage p = new SpdxPackage(store, uri, id, null, false);
        String purl = purl(p, warnings);
        SbomComponent component =
            new SbomComponent(p.getName().orElse(null), p.getVersionInfo().orElse(null), purl, id);
        if (id.equals(subjectId)) {
          subject = component;
        } else if (seen.add(purl != null ? purl : "|" + id)) {
          components.add(component);
        }
      }
      return new Sbom(
          Sha256.digest(bytes),
          "SPDX",
          doc.getSpecVersion(),
          doc.getDocumentUri(),
          subject,
          List.copyOf(components),
          List.copyOf(warnings));
    } catch (InvalidSPDXAnalysisException | IOException | RuntimeException e) {
      throw new SbomException("not a readable SPDX 2.x JSON document: " + causes(e));
    } finally {
      try {
        store.close();
      } catch (Exception e) {
        // an in-memory store holds nothing to release
      }
    }
  }

  /** The package's purl external reference; a second one is ignored with a warning. */
  private static String purl(SpdxPackage p, List<String> warnings)
      throws InvalidSPDXAnalysisException {
    String found = null;
    for (ExternalRef ref : p.getExternalRefs()) {
      String type = ref.getReferenceType().getIndividualURI();
      if (type == null || !(type.equals(PURL) || type.endsWith("/" + PURL))) {
        continue;
      }
      if (found == null) {
        found = ref.getReferenceLocator();
      } else if (!found.equals(ref.getReferenceLocator())) {
        warnings.add(
            p.getId()
                + ": a second purl "
                + ref.getReferenceLocator()
                + " ignored ("
                + found
                + ")");
      }
    }
    return found;
  }

  private static String causes(Throwable e) {
    StringBuilder why = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !why.toString().contains(t.getMessage())) {
        why.append(why.isEmpty() ? "" : ": ").append(t.getMessage());
      }
    }
    return why.isEmpty() ? e.getClass().getSimpleName() : why.toString();
  }
}
