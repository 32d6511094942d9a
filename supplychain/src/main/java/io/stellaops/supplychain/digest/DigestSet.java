package io.stellaops.supplychain.digest;

import io.stellaops.supplychain.json.CanonicalJson;
import java.util.Collection;
import java.util.List;

/**
 * One digest naming a set of digests (a release's components), independent of their order: what an
 * approval is bound to.
 */
public final class DigestSet {
  private DigestSet() {}

  /** sha256 of the RFC 8785 JSON array of the sorted, distinct digests. */
  public static String hash(Collection<String> digests) {
    List<String> sorted =
        digests.stream().map(d -> Sha256.PREFIX + Sha256.hexOf(d)).distinct().sorted().toList();
    return CanonicalJson.digest(sorted);
  }
}
