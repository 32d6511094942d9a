package io.stellaops.supplychain.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;

/**
 * The packages of a CycloneDX SBOM written as an SPDX 2.3 JSON document, as {@code syft -o
 * spdx-json} writes them (a root package the document describes, each package with its purl as a
 * PACKAGE-MANAGER external reference), so both formats can be matched against the same packages.
 */
final class SpdxOf {
  private SpdxOf() {}

  static byte[] cycloneDx(byte[] cycloneDx) throws IOException {
    JsonNode bom = CanonicalJson.MAPPER.readTree(cycloneDx);
    ObjectNode doc = CanonicalJson.MAPPER.createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", "converted");
    doc.put("documentNamespace", "https://example.com/spdx/converted");
    doc.putObject("creationInfo")
        .put("created", "2026-01-01T00:00:00Z")
        .putArray("creators")
        .add("Tool: stella-tests");
    doc.putArray("documentDescribes").add("SPDXRef-Package-root");
    ArrayNode packages = doc.putArray("packages");
    packages
        .addObject()
        .put("SPDXID", "SPDXRef-Package-root")
        .put("name", "root")
        .put("downloadLocation", "NOASSERTION");
    int[] n = {0};
    add(bom.path("components"), packages, n);
    return CanonicalJson.MAPPER.writeValueAsBytes(doc);
  }

  private static void add(JsonNode components, ArrayNode packages, int[] n) {
    for (JsonNode c : components) {
      ObjectNode p =
          packages
              .addObject()
              .put("SPDXID", "SPDXRef-Package-" + n[0]++)
              .put("name", c.path("name").asText())
              .put("downloadLocation", "NOASSERTION");
      if (c.hasNonNull("version")) {
        p.put("versionInfo", c.path("version").asText());
      }
      if (c.hasNonNull("purl")) {
        p.putArray("externalRefs")
            .addObject()
            .put("referenceCategory", "PACKAGE-MANAGER")
            .put("referenceType", "purl")
            .put("referenceLocator", c.path("purl").asText());
      }
      add(c.path("components"), packages, n);
    }
  }
}
