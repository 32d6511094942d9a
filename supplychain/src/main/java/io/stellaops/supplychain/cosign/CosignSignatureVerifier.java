package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.encoding.GoBase64;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.keys.Signatures;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.policy.CheckFailure;
import java.util.List;
import java.util.Optional;

/**
 * Verifies cosign signatures, made with a key or keyless, in both layouts cosign writes: by default
 * an OCI manifest tagged {@code sha256-<hex>.sig} whose layers are simple-signing payloads, each
 * with its signature in the {@code dev.cosignproject.cosign/signature} annotation (and, keyless,
 * its certificate and log entry beside it); with {@code --new-bundle-format}, Sigstore bundles
 * among the image's OCI referrers ({@link SigstoreBundles}). Offline apart from the registry: no
 * Rekor or Fulcio call. The tag layout is hand-written because sigstore-java verifies bundles, not
 * this registry layout, and the layout is two fetches and one signature check.
 */
public final class CosignSignatureVerifier {
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  private final OciReader registry;

  public CosignSignatureVerifier(OciReader registry) {
    this.registry = registry;
  }

  /** The outcome for one image digest and one signer. */
  public record Verdict(boolean verified, String reason, CheckFailure failure) {
    static Verdict ok(String reason) {
      return new Verdict(true, reason, null);
    }

    static Verdict failed(CheckFailure failure, String reason) {
      return new Verdict(false, reason, failure);
    }
  }

  /**
   * Whether {@code image@digest} carries a cosign signature by {@code signer}, in the tag layout or
   * as a Sigstore bundle among its referrers. The reason names the image, the signer and the check
   * that failed.
   */
  public Verdict verify(
      String image,
      String digest,
      Signer signer,
      Optional<RegistryClient.Credentials> credentials) {
    String where = image + "@" + digest;
    Refusals problems = new Refusals();
    String tagAnswer = null;
    try {
      JsonNode manifest = CosignTags.manifest(registry, image, digest, "sig", credentials);
      if (signedInLayers(manifest, image, digest, signer, credentials, problems)) {
        return Verdict.ok(where + ": signed by " + signer.describe());
      }
    } catch (CosignTags.Unreadable e) {
      tagAnswer = e.getMessage();
    }
    SigstoreBundles.Listing bundles =
        SigstoreBundles.find(registry, image, digest, SigstoreBundles.SIGN_PREDICATE, credentials);
    problems.addAll(bundles.problems());
    for (SigstoreBundles.Found bundle : bundles.bundles()) {
      if (SigstoreBundles.statement(
              bundle, digest, signer, SigstoreBundles.SIGN_PREDICATE, problems)
          .isPresent()) {
        return Verdict.ok(where + ": signed by " + signer.describe() + " (Sigstore bundle)");
      }
    }
    if (tagAnswer != null && problems.isEmpty()) {
      return Verdict.failed(
          CheckFailure.UNSIGNED,
          where
              + ": no cosign signature found (looked for "
              + tagAnswer
              + "; no Sigstore signature bundle among its referrers, "
              + bundles.source()
              + ")");
    }
    return Verdict.failed(
        problems.anyOtherSubject() ? CheckFailure.DIGEST_MISMATCH : CheckFailure.UNTRUSTED_SIGNER,
        where
            + ": no signature verifies with "
            + signer.describe()
            + (problems.isEmpty()
                ? " (the signature manifest has no layers)"
                : " (" + String.join("; ", problems) + ")"));
  }

  /**
   * Whether a layer of the {@code .sig} manifest is {@code signer}'s signature of {@code digest}.
   */
  private boolean signedInLayers(
      JsonNode manifest,
      String image,
      String digest,
      Signer signer,
      Optional<RegistryClient.Credentials> credentials,
      Refusals problems) {
    for (JsonNode layer : CosignTags.layers(manifest, "signature", problems)) {
      // any media type, as cosign: what is signed is the payload, not the descriptor
      String signature = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText(null);
      if (signature == null) {
        problems.add("a layer carries no " + SIGNATURE_ANNOTATION + " annotation");
        continue;
      }
      byte[] payload;
      try {
        payload = registry.blob(image, layer.path("digest").asText(), credentials);
      } catch (RegistryException e) {
        problems.add("payload unavailable: " + e.getMessage());
        continue;
      }
      byte[] raw;
      try {
        raw = GoBase64.standard(signature);
      } catch (IllegalArgumentException e) {
        problems.add("a signature is not base64: " + e.getMessage());
        continue;
      }
      String why =
          signer.check(
              layer.path("annotations"),
              new Signer.Signed(Signer.Kind.HASHED_REKORD, payload, List.of(signature)),
              key -> Signatures.verify(key, payload, raw));
      if (why != null) {
        problems.add("a signature " + why);
        continue;
      }
      String signed;
      try {
        signed = signedDigest(payload);
      } catch (SignedJson.Rejected e) {
        problems.add(
            "a valid signature by " + signer.describe() + " has a payload that " + e.getMessage());
        continue;
      }
      if (!digest.equals(signed)) {
        problems.otherSubject(
            "a valid signature by "
                + signer.describe()
                + " was made for another digest ("
                + signed
                + ")");
        continue;
      }
      return true;
    }
    return false;
  }

  /**
   * The digest a simple-signing payload names, read as cosign reads it; null when it names none.
   * The type must be cosign's: a payload of another simple-signing system signed by the same key
   * does not vouch for a cosign verification (cosign itself does not look at the type).
   */
  private static String signedDigest(byte[] payload) throws SignedJson.Rejected {
    JsonNode json = SignedJson.read(payload);
    if (!"cosign container image signature".equals(SignedJson.text(json, "critical", "type"))) {
      throw new SignedJson.Rejected("is not a cosign container image signature (critical.type)");
    }
    return SignedJson.text(json, "critical", "image", "docker-manifest-digest");
  }
}
