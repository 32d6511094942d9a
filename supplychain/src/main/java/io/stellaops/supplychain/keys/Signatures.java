package io.stellaops.supplychain.keys;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;

/** Verifies raw signatures with the algorithm cosign and DSSE use for each key type. */
public final class Signatures {
  private Signatures() {}

  /**
   * The JCA algorithm cosign signs with for a key: ECDSA with the hash of the curve's size (SHA-256
   * on P-256, SHA-384 on P-384, SHA-512 on P-521, as sigstore's default key details say), RSA
   * PKCS#1 v1.5 over SHA-256, or Ed25519.
   */
  public static String algorithm(Key key) {
    return switch (key.getAlgorithm()) {
      case "EC", "ECDSA" ->
          switch (((ECKey) key).getParams().getCurve().getField().getFieldSize()) {
            case 384 -> "SHA384withECDSA";
            case 521 -> "SHA512withECDSA";
            default -> "SHA256withECDSA";
          };
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default ->
          throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    };
  }

  /**
   * Whether {@code signature} (ASN.1 DER for ECDSA) over {@code data} verifies with {@code key}.
   */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm(key));
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
