package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tags cosign writes beside an image digest, {@code sha256-<hex>.sig} for signatures and {@code
 * .att} for attestations, and reading their manifests.
 */
final class CosignTags {
  /** As cosign: a signature or attestation manifest with more layers is refused unread. */
  static final int MAX_LAYERS = 1000;

  /** Why a tag's manifest could not be read; the message names the tag and the answer. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  private CosignTags() {}

  /**
   * The manifest of {@code image}'s {@code suffix} tag ({@code sig} or {@code att}) for {@code
   * digest}.
   */
  static JsonNode manifest(
      OciReader registry,
      String image,
      String digest,
      String suffix,
      Optional<RegistryClient.Credentials> credentials)
      throws Unreadable {
    String tag = image + ":sha256-" + Sha256.hexOf(digest) + "." + suffix;
    try {
      return CanonicalJson.MAPPER.readTree(
          registry.manifest(image, tag.substring(image.length() + 1), credentials).bytes());
    } catch (RegistryException e) {
      throw new Unreadable(tag + ": " + e.answer());
    } catch (IOException e) {
      throw new Unreadable(tag + ": the manifest is not JSON");
    }
  }

  /**
   * The layers of a {@code .sig} or {@code .att} manifest, each a {@code what}; none, with the
   * reason in {@code problems}, when there are more than cosign reads.
   */
  static List<JsonNode> layers(JsonNode manifest, String what, List<String> problems) {
    JsonNode layers = manifest.path("layers");
    if (layers.size() > MAX_LAYERS) {
      problems.add(
          "the "
              + what
              + " manifest lists "
              + layers.size()
              + " layers, more than the "
              + MAX_LAYERS
              + " cosign reads: none was read");
      return List.of();
    }
    List<JsonNode> all = new ArrayList<>();
    layers.forEach(all::add);
    return all;
  }
}
