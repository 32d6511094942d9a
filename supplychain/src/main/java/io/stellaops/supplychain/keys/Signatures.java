package io.stellaops.supplychain.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/** Signs and verifies raw signatures with the algorithm cosign and DSSE use for each key type. */
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
   * Signs {@code data} with {@code key} so that the same data and key always give the same bytes:
   * ECDSA with RFC 6979 nonces (the JDK draws a random one, which would make every signed bundle of
   * the same content differ), ASN.1 DER; RSA PKCS#1 v1.5 and Ed25519 are deterministic already.
   */
  public static byte[] sign(PrivateKey key, byte[] data) {
    try {
      if (key instanceof ECPrivateKey ec) {
        var params = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(ec);
        Digest digest =
            switch (ec.getParams().getCurve().getField().getFieldSize()) {
              case 384 -> new SHA384Digest();
              case 521 -> new SHA512Digest();
              default -> new SHA256Digest();
            };
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(data, 0, data.length);
        digest.doFinal(hash, 0);
        digest.reset();
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digest));
        signer.init(true, params);
        BigInteger[] rs = signer.generateSignature(hash);
        return StandardDSAEncoding.INSTANCE.encode(params.getParameters().getN(), rs[0], rs[1]);
      }
      Signature signer = Signature.getInstance(algorithm(key));
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
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
