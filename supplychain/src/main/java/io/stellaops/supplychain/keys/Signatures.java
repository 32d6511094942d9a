package io.stellaops.supplychain.keys;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Verifies raw signatures with the algorithm cosign and DSSE use for each key type. */
public final class Signatures {
  private Signatures() {}

  /** The JCA algorithm for a key: ECDSA and RSA over SHA-256, or Ed25519. */
  public static String algorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("unsupported key algorithm " + keyAlgorithm);
    };
  }

  /**
   * Whether {@code signature} (ASN.1 DER for ECDSA) over {@code data} verifies with {@code key}.
   */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm(key.getAlgorithm()));
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
