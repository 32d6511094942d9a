package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sigstore bundles stored as OCI referrers of an image, the layout {@code cosign sign|attest
 * --new-bundle-format} writes: a manifest whose subject is the image and whose one layer is a
 * bundle (v0.3 JSON) holding a DSSE envelope of an in-toto statement, the certificate or key hint,
 * and the transparency log entry. Listed through the referrers API, or the fallback tag where the
 * registry has none. Hand-written because neither sigstore-java nor jib-core reads referrers.
 */
final class SigstoreBundles {
  static final String BUNDLE_MEDIA_PREFIX = "application/vnd.dev.sigstore.bundle";
  static final String PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";

  /** What {@code cosign sign --new-bundle-format} states about the image it signs. */
  static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  private SigstoreBundles() {}

  /**
   * One bundle attached to the image.
   *
   * @param json the bundle as stored, for sigstore-java
   * @param envelope its DSSE envelope, null when it holds something else or is refused
   * @param digest the bundle blob's digest
   * @param refused why the bundle is not read at all (ambiguous JSON), else null
   */
  record Found(byte[] json, Envelope envelope, String digest, String refused) {}

  /**
   * The bundles found, the ones that could not be read (why), and where the search looked.
   *
   * @param source where the bundles were listed, for messages
   */
  record Listing(List<Found> bundles, List<String> problems, String source) {}

  /**
   * The bundles whose predicate type is {@code predicateType} (as the referrer's annotation says,
   * when it says) among {@code image@digest}'s referrers. A registry that cannot list referrers
   * gives an empty listing whose source says so.
   */
  static Listing find(
      OciReader registry,
      String image,
      String digest,
      String predicateType,
      Optional<RegistryClient.Credentials> credentials) {
    RegistryClient.Referrers referrers;
    try {
      referrers = registry.referrers(image, digest, credentials);
    } catch (RegistryException e) {
      return new Listing(List.of(), List.of(), "cannot list them: " + e.getMessage());
    }
    List<Found> bundles = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode descriptor : referrers.descriptors()) {
      String stated = descriptor.path("annotations").path(PREDICATE_ANNOTATION).asText(null);
      if (stated != null && !stated.equals(predicateType)) {
        continue; // cosign names the predicate on the referrer: skip other kinds unread
      }
      try {
        readBundle(registry, image, digest, descriptor.path("digest").asText(), credentials)
            .ifPresent(bundles::add);
      } catch (IOException | RuntimeException e) {
        problems.add("a bundle cannot be read: " + e.getMessage());
      }
    }
    return new Listing(bundles, problems, referrers.source());
  }

  private static Optional<Found> readBundle(
      OciReader registry,
      String image,
      String subject,
      String manifestDigest,
      Optional<RegistryClient.Credentials> credentials)
      throws IOException {
    JsonNode manifest =
        CanonicalJson.MAPPER.readTree(
            registry.manifest(image, manifestDigest, credentials).bytes());
    // the fallback tag is written by clients, so it may list what does not refer to this digest
    if (!subject.equals(manifest.at("/subject/digest").asText())) {
      return Optional.empty();
    }
    for (JsonNode layer : manifest.path("layers")) {
      if (!layer.path("mediaType").asText().startsWith(BUNDLE_MEDIA_PREFIX)) {
        continue;
      }
      String blobDigest = layer.path("digest").asText();
      return Optional.of(parse(registry.blob(image, blobDigest, credentials), blobDigest));
    }
    return Optional.empty();
  }

  /** The bundle stored as blob {@code digest}, read strictly ({@link SignedJson}). */
  static Found parse(byte[] json, String digest) {
    try {
      JsonNode dsse = SignedJson.field(SignedJson.read(json), "dsseEnvelope");
      return new Found(json, dsse.isObject() ? Envelope.of(dsse) : null, digest, null);
    } catch (SignedJson.Rejected e) {
      return new Found(json, null, digest, e.getMessage());
    }
  }

  /**
   * The in-toto statement of {@code bundle} when it states {@code predicateType}, {@code signer}
   * signed it and it is about {@code digest}. Empty otherwise: silently for another predicate type,
   * else with the reason added to {@code problems}.
   */
  static Optional<JsonNode> statement(
      Found bundle, String digest, Signer signer, String predicateType, Refusals problems) {
    if (bundle.refused() != null) {
      problems.add("a bundle " + bundle.refused());
      return Optional.empty();
    }
    if (bundle.envelope() == null) {
      problems.add(
          "a bundle holds no DSSE envelope (a message signature?); images are read from DSSE"
              + " bundles, as cosign --new-bundle-format writes them");
      return Optional.empty();
    }
    JsonNode statement;
    try {
      statement = Statement.read(bundle.envelope());
    } catch (SignedJson.Rejected e) {
      problems.add("a bundle " + e.getMessage());
      return Optional.empty();
    }
    if (!predicateType.equals(Statement.predicateType(statement))) {
      return Optional.empty();
    }
    String why = signer.checkBundle(bundle.json(), bundle.envelope());
    if (why != null) {
      problems.add("a bundle " + why);
      return Optional.empty();
    }
    if (!Statement.names(statement, digest)) {
      problems.otherSubject(
          "a bundle signed by "
              + signer.describe()
              + " states "
              + predicateType
              + " of another"
              + " subject");
      return Optional.empty();
    }
    return Optional.of(statement);
  }
}
