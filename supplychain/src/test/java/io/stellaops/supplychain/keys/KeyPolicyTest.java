package io.stellaops.supplychain.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void acceptsWhatSigstoreAccepts() throws Exception {
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      assertThat(KeyPolicy.problem(ec(curve))).as(curve).isNull();
    }
    assertThat(KeyPolicy.problem(rsa(2048, RSAKeyGenParameterSpec.F4))).isNull();
    assertThat(
            KeyPolicy.problem(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))
        .isNull();
  }

  @Test
  void refusesShortRsaKeys() throws Exception {
    assertThat(KeyPolicy.problem(rsa(1024, RSAKeyGenParameterSpec.F4)))
        .isEqualTo(
            "RSA key of 1024 bits: Sigstore accepts RSA keys of 2048, 3072 or 4096 bits only"
                + " (under 2048 bits RSA is breakable)");
  }

  @Test
  void refusesAnotherExponent() throws Exception {
    assertThat(KeyPolicy.problem(rsa(2048, BigInteger.valueOf(3))))
        .isEqualTo("RSA key with public exponent 3: Sigstore accepts 65537 only");
  }

  @Test
  void refusesAModulusWithASmallFactor() throws Exception {
    // just above 2^2046, so three times it has 2048 bits
    BigInteger large =
        BigInteger.ONE.shiftLeft(2046).add(new BigInteger(2000, RANDOM)).nextProbablePrime();
    BigInteger n = large.multiply(BigInteger.valueOf(3));
    assertThat(n.bitLength()).isEqualTo(2048);
    assertThat(KeyPolicy.problem(rsaOf(n))).contains("small prime factor");
  }

  @Test
  void refusesPrimesCloseTogether() throws Exception {
    BigInteger p =
        BigInteger.ONE
            .shiftLeft(1023)
            .setBit(1022)
            .add(new BigInteger(900, RANDOM))
            .nextProbablePrime();
    BigInteger n = p.multiply(p.nextProbablePrime());
    assertThat(n.bitLength()).isEqualTo(2048);
    assertThat(KeyPolicy.problem(rsaOf(n))).contains("Fermat");
  }

  @Test
  void refusesAPointOffTheCurve() throws Exception {
    ECPublicKey genuine = (ECPublicKey) ec("secp256r1");
    ECPoint moved =
        new ECPoint(genuine.getW().getAffineX(), genuine.getW().getAffineY().add(BigInteger.ONE));
    PublicKey forged =
        KeyFactory.getInstance("EC")
            .generatePublic(new ECPublicKeySpec(moved, genuine.getParams()));
    assertThat(KeyPolicy.problem(forged)).contains("not on P-256");
  }

  @Test
  void signsAndVerifiesWithTheCurvesHash() throws Exception {
    assertThat(Signatures.algorithm(ec("secp256r1"))).isEqualTo("SHA256withECDSA");
    assertThat(Signatures.algorithm(ec("secp384r1"))).isEqualTo("SHA384withECDSA");
    assertThat(Signatures.algorithm(ec("secp521r1"))).isEqualTo("SHA512withECDSA");
  }

  private static PublicKey ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair().getPublic();
  }

  private static PublicKey rsa(int bits, BigInteger exponent) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(bits, exponent));
    return generator.generateKeyPair().getPublic();
  }

  private static PublicKey rsaOf(BigInteger modulus) throws Exception {
    return KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(modulus, RSAKeyGenParameterSpec.F4));
  }
}
