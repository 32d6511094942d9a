package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.DsseVerificationException;
import io.stellaops.supplychain.dsse.Envelope;
import java.security.PublicKey;
import java.util.List;
import java.util.function.Predicate;

/**
 * Whom an authority trusts to have signed: a public key, or a keyless identity under an offline
 * Sigstore trust root. The verifiers hand each cosign layer to {@link #check} and each Sigstore
 * bundle to {@link #checkBundle}, which find the key the signature must verify with and whatever
 * else must hold for that kind of signer.
 */
public interface Signer {
  /** Annotation holding the Fulcio certificate of a keyless signature. */
  String CERTIFICATE = "dev.sigstore.cosign/certificate";

  /** Annotation holding the rest of the certificate chain. */
  String CHAIN = "dev.sigstore.cosign/chain";

  /** Annotation holding the transparency log entry (Rekor bundle: SET and entry). */
  String BUNDLE = "dev.sigstore.cosign/bundle";

  /** How the transparency log records what was signed. */
  enum Kind {
    /** A simple-signing payload signed directly ({@code hashedrekord}). */
    HASHED_REKORD,
    /** A DSSE envelope of an in-toto statement ({@code dsse}). */
    DSSE
  }

  /**
   * What one layer carries.
   *
   * @param payload the signed payload (DSSE: the envelope's payload, before PAE)
   * @param signatures the layer's signatures, as cosign wrote them (base64)
   */
  record Signed(Kind kind, byte[] payload, List<String> signatures) {}

  /** How verdicts name this signer: {@code the key}, or {@code keyless <subject> from <issuer>}. */
  String describe();

  /**
   * Changes whenever what this signer accepts changes (key bytes, or trust root and identity), so
   * verdicts cached under it need no time-to-live.
   */
  String fingerprint();

  /**
   * Null when the layer is signed by this signer, else the check that failed.
   *
   * @param annotations the layer's annotations (certificate, chain, log entry)
   * @param verifiesWith whether the layer's signature verifies with a key
   */
  String check(JsonNode annotations, Signed signed, Predicate<PublicKey> verifiesWith);

  /**
   * Null when a Sigstore bundle is signed by this signer, else the check that failed.
   *
   * @param bundle the bundle JSON as stored
   * @param envelope its DSSE envelope (whose statement the caller checks)
   */
  String checkBundle(byte[] bundle, Envelope envelope);

  /** A signer known by its public key; nothing beyond the signature is required. */
  static Signer key(PublicKey key) {
    return new Signer() {
      @Override
      public String describe() {
        return "the key";
      }

      @Override
      public String fingerprint() {
        return Sha256.digest(key.getEncoded());
      }

      @Override
      public String check(JsonNode annotations, Signed signed, Predicate<PublicKey> verifiesWith) {
        return verifiesWith.test(key) ? null : "does not verify with the key";
      }

      @Override
      public String checkBundle(byte[] bundle, Envelope envelope) {
        try {
          Dsse.verify(envelope, key);
          return null;
        } catch (DsseVerificationException e) {
          return "does not verify with the key";
        }
      }
    };
  }
}
