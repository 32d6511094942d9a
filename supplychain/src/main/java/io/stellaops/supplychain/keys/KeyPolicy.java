package io.stellaops.supplychain.keys;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * Which public keys may vouch for an image: the ones Sigstore accepts (sigstore/sigstore's {@code
 * goodkey} policy, which cosign applies): RSA of 2048, 3072 or 4096 bits with exponent 65537, no
 * small prime factor and not factorable by Fermat's method in 100 rounds; ECDSA on P-256, P-384 or
 * P-521 given by name, its point on the curve and in the right subgroup; Ed25519. Not checked: the
 * ROCA fingerprint of keys made by some Infineon chips.
 */
public final class KeyPolicy {
  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");
  private static final BigInteger F4 = BigInteger.valueOf(65537);
  private static final int FERMAT_ROUNDS = 100;
  // the primes below 1,000: a modulus divisible by one is broken, whatever its size
  private static final BigInteger SMALL_PRIMES = primorial(1000);

  private KeyPolicy() {}

  /** Null when {@code key} is acceptable, else why not, e.g. {@code RSA key of 1024 bits …}. */
  public static String problem(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsaProblem(rsa);
    }
    if (key instanceof ECPublicKey ec) {
      return ecProblem(ec);
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return null;
    }
    return key.getAlgorithm() + " keys are not accepted (RSA, ECDSA or Ed25519)";
  }

  /** The curve of an accepted ECDSA key: {@code P-256}, {@code P-384} or {@code P-521}. */
  public static String curve(ECPublicKey key) {
    ASN1ObjectIdentifier oid = namedCurve(key);
    String name = oid == null ? null : CURVES.get(oid);
    if (name == null) {
      throw new IllegalArgumentException("not a P-256, P-384 or P-521 key");
    }
    return name;
  }

  private static String rsaProblem(RSAPublicKey key) {
    BigInteger n = key.getModulus();
    int bits = n.bitLength();
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      return "RSA key of "
          + bits
          + " bits: Sigstore accepts RSA keys of 2048, 3072 or 4096 bits only"
          + (bits < 2048 ? " (under 2048 bits RSA is breakable)" : "");
    }
    if (!F4.equals(key.getPublicExponent())) {
      return "RSA key with public exponent "
          + key.getPublicExponent()
          + ": Sigstore accepts 65537 only";
    }
    if (!n.gcd(SMALL_PRIMES).equals(BigInteger.ONE)) {
      return "RSA key whose modulus has a small prime factor: it is broken";
    }
    if (fermatFactorable(n)) {
      return "RSA key whose primes are too close together (Fermat's method factors it): it is"
          + " broken";
    }
    return null;
  }

  private static String ecProblem(ECPublicKey key) {
    ASN1ObjectIdentifier oid = namedCurve(key);
    if (oid == null) {
      return "ECDSA key with explicit curve parameters: only the named curves P-256, P-384 and"
          + " P-521 are accepted";
    }
    if (!CURVES.containsKey(oid)) {
      return "ECDSA key on curve " + oid + ": only P-256, P-384 and P-521 are accepted";
    }
    X9ECParameters curve = ECNamedCurveTable.getByOID(oid);
    try {
      var point =
          curve
              .getCurve()
              .createPoint(key.getW().getAffineX(), key.getW().getAffineY())
              .normalize();
      if (point.isInfinity() || !point.isValid()) {
        return "ECDSA key whose point is not on " + CURVES.get(oid) + " or not in its subgroup";
      }
    } catch (IllegalArgumentException e) {
      return "ECDSA key whose point is not on " + CURVES.get(oid) + ": " + e.getMessage();
    }
    return null;
  }

  private static ASN1ObjectIdentifier namedCurve(ECPublicKey key) {
    var parameters =
        SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
    return parameters instanceof ASN1ObjectIdentifier oid ? oid : null;
  }

  /** Fermat's method: a = ceil(sqrt(n)) upwards, looking for a*a - n square. */
  private static boolean fermatFactorable(BigInteger n) {
    BigInteger a = n.sqrt();
    if (a.multiply(a).compareTo(n) < 0) {
      a = a.add(BigInteger.ONE);
    }
    for (int i = 0; i < FERMAT_ROUNDS; i++, a = a.add(BigInteger.ONE)) {
      BigInteger b2 = a.multiply(a).subtract(n);
      BigInteger b = b2.sqrt();
      if (b.multiply(b).equals(b2)) {
        return true;
      }
    }
    return false;
  }

  private static BigInteger primorial(int below) {
    BigInteger product = BigInteger.ONE;
    for (int p = 2; p < below; p++) {
      if (BigInteger.valueOf(p).isProbablePrime(30)) {
        product = product.multiply(BigInteger.valueOf(p));
      }
    }
    return product;
  }
}
