package io.stellaops.supplychain.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * What a mirror bundle says it holds ({@code mirror.json}): each Release component's image by
 * digest with everything copied beside it, the advisory artifacts, the TrustPolicies that cover the
 * images. The export writes it; {@code kubectl stella mirror import} reads it.
 *
 * @param images one per Release component, by release then component
 * @param artifacts OCI artifacts the AdvisoryFeeds read (snapshots, VEX documents)
 * @param trustPolicies names of the TrustPolicies under {@code objects/TrustPolicy/}
 * @param base for a delta, the bundle that carries what this one leaves out; null for a full one
 * @param omitted for a delta, {@code <repository>@<digest>} of each manifest and blob left out (the
 *     base, or its base, carries them into that repository)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mirror(
    String apiVersion,
    List<Image> images,
    List<Artifact> artifacts,
    List<String> trustPolicies,
    Base base,
    List<String> omitted) {
  public static final String API_VERSION = "stellaops.io/mirror/v1";
  public static final String FILE = "mirror.json";

  /** Where the OCI image layout lives in the bundle. */
  public static final String LAYOUT = "oci/";

  /**
   * Where the public material TrustPolicies name in Secrets is kept: {@code
   * trust/secrets/<namespace>/<name>/<key>}; never registry credentials.
   */
  public static final String SECRETS = "trust/secrets/";

  /**
   * One component's image.
   *
   * @param copied every layout name copied for it: the image, cosign's {@code .sig}/{@code .att}
   *     tags, its referrers
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Image(
      String release,
      String component,
      String image,
      String digest,
      String tag,
      List<String> copied) {}

  /**
   * An OCI artifact an AdvisoryFeed reads.
   *
   * @param feed the AdvisoryFeed
   * @param reference as the feed names it ({@code repo:tag} or {@code repo@digest})
   */
  public record Artifact(String feed, String reference, String digest) {}

  /**
   * The bundle a delta builds on.
   *
   * @param export {@code <namespace>/<name>} of its Export
   * @param bundle its digest (sha256 of the tar)
   */
  public record Base(String export, String bundle) {}

  /** What this bundle's layout names but leaves to its base. */
  public Set<String> omittedSet() {
    return omitted == null ? Set.of() : Set.copyOf(omitted);
  }

  public byte[] toJson() {
    return CanonicalJson.bytes(this);
  }

  public static Mirror parse(byte[] json) {
    try {
      Mirror mirror = CanonicalJson.MAPPER.readValue(json, Mirror.class);
      if (!API_VERSION.equals(mirror.apiVersion()) || mirror.images() == null) {
        throw new IllegalArgumentException(FILE + " is not a " + API_VERSION + " document");
      }
      return mirror;
    } catch (IOException e) {
      throw new IllegalArgumentException(FILE + " is not JSON: " + e.getMessage());
    }
  }
}
