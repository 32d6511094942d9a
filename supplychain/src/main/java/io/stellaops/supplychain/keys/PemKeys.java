package io.stellaops.supplychain.keys;

import io.stellaops.supplychain.digest.Sha256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM encoding of keys (SubjectPublicKeyInfo and PKCS#8), as cosign and openssl write them. */
public final class PemKeys {
  private static final String PUBLIC = "PUBLIC KEY";
  private static final String PRIVATE = "PRIVATE KEY";

  private PemKeys() {}

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair generateP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides P-256", e);
    }
  }

  public static String publicKeyPem(PublicKey key) {
    return pem(PUBLIC, key.getEncoded());
  }

  public static String privateKeyPem(PrivateKey key) {
    return pem(PRIVATE, key.getEncoded());
  }

  /** Parses a PEM public key (EC, RSA or Ed25519). */
  public static PublicKey parsePublicKey(String pem) {
    byte[] der = der(pem, PUBLIC);
    return decode(der, "public", factory -> factory.generatePublic(new X509EncodedKeySpec(der)));
  }

  /** Parses an unencrypted PKCS#8 PEM private key (EC, RSA or Ed25519). */
  public static PrivateKey parsePrivateKey(String pem) {
    byte[] der = der(pem, PRIVATE);
    return decode(der, "private", factory -> factory.generatePrivate(new PKCS8EncodedKeySpec(der)));
  }

  /** The key id used in DSSE signatures: hex sha256 of the public key's DER encoding. */
  public static String keyId(PublicKey key) {
    return Sha256.hex(key.getEncoded());
  }

  private interface Decoder<T> {
    T apply(KeyFactory factory) throws GeneralSecurityException;
  }

  private static <T> T decode(byte[] der, String what, Decoder<T> decoder) {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return decoder.apply(KeyFactory.getInstance(algorithm));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "not an EC, RSA or Ed25519 " + what + " key (" + der.length + " bytes of DER)");
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not a PEM " + type + " (expected " + begin + ")");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM " + type + " body is not base64", e);
    }
  }
}
