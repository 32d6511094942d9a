package io.stellaops.controllers.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.crds.export.Export;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What every profile's bundle shares: its manifest's description and the keyring. */
final class ExportBundles {
  static final String API_VERSION = "stellaops.io/export/v1";
  static final String ARTIFACT_TYPE = "application/vnd.stellaops.export.v1";

  private ExportBundles() {}

  /** A bundle and what it holds. */
  record Contents(Bundle bundle, Map<String, Integer> objects, List<String> signers) {}

  /** An export that cannot be made as asked; the message says why and what to do. */
  static class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** A registry the export reads from did not answer as asked; retried as it may recover. */
  static final class Unavailable extends Refused {
    Unavailable(String message) {
      super(message);
    }
  }

  /**
   * The bundle of {@code files} plus {@code keys/keyring.json}, described by the Export's
   * namespace, name, profile and selector, the operator version and the counts per kind.
   */
  static Bundle of(
      Export export,
      io.stellaops.crds.export.ExportSpec.Selector selector,
      String profile,
      Map<String, byte[]> files,
      Map<String, Integer> objects,
      EvidenceKeyring keyring,
      String operatorVersion) {
    files.put(
        "keys/" + EvidenceKeyring.DATA_KEY, keyring.toJson().getBytes(StandardCharsets.UTF_8));
    ObjectNode about = CanonicalJson.MAPPER.createObjectNode();
    about.put("apiVersion", API_VERSION);
    about.put("profile", profile);
    about.put("namespace", export.getMetadata().getNamespace());
    about.put("name", export.getMetadata().getName());
    about.set("selector", CanonicalJson.MAPPER.valueToTree(selector == null ? Map.of() : selector));
    about.put("operatorVersion", operatorVersion);
    about.set("objects", CanonicalJson.MAPPER.valueToTree(objects));
    return Bundle.of(files, about);
  }

  /** The README's part every profile shares: the bundle's own files and how to verify them. */
  static final String VERIFY =
      """
      | `manifest.json` | every file with its sha256 and size, and what was selected |
      | `checksums.txt` | the same digests for `sha256sum -c checksums.txt` |
      | `manifest.dsse.json` | the manifest in a DSSE envelope signed by the operator's evidence key |
      | `manifest.json.sig` | the manifest's plain signature, for `cosign verify-blob` |
      | `keys/keyring.json` | the evidence keyring when exported |

      Verify without a cluster (every file, the manifest's signatures, every evidence packet):

          kubectl stella export verify <this file or oci://registry/repository:tag> [--key operator.pub]

      Or with common tools, after `tar -xf`:

          sha256sum -c checksums.txt
          cosign verify-blob --key operator.pub --signature manifest.json.sig \\
            --insecure-ignore-tlog manifest.json

      Take operator.pub from the operator (`kubectl stella keys list`, ConfigMap
      stella-evidence-public-key): a bundle's own keys prove only that it was not changed since it
      was signed by them.
      """;
}
