package io.stellaops.webhooks.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and a serving certificate for the admission server: the CA goes into the webhook
 * configurations' caBundle, the serving certificate and key into the server.
 */
public record WebhookCertificates(X509Certificate ca, X509Certificate serving, KeyPair servingKey) {

  /** Generates a CA and a serving certificate for the given DNS names and IP addresses. */
  public static WebhookCertificates generate(
      List<String> dnsNames, List<String> ipAddresses, Duration validity) {
    try {
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofMinutes(5)));
      Date until = Date.from(now.plus(validity));
      KeyPair caKey = p256();
      X500Name caName = new X500Name("CN=stella-operator-webhook-ca");
      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(caName, serial(), from, until, caName, caKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate ca = sign(caBuilder, caKey);

      KeyPair servingKey = p256();
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
      X509v3CertificateBuilder servingBuilder =
          new JcaX509v3CertificateBuilder(
                  caName, serial(), from, until, new X500Name("CN=" + cn), servingKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)));
      return new WebhookCertificates(ca, sign(servingBuilder, caKey), servingKey);
    } catch (GeneralSecurityException
        | IOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot generate webhook certificates", e);
    }
  }

  /** The three PEM files a {@code kubernetes.io/tls} Secret holds: ca.crt, tls.crt, tls.key. */
  public Map<String, String> toPem() {
    return Map.of(
        "ca.crt",
        caPem(),
        "tls.crt",
        servingCertificatePem(),
        "tls.key",
        pem(pkcs8(servingKey.getPrivate())));
  }

  /** Reads the three PEM files back; throws IllegalArgumentException naming what is wrong. */
  public static WebhookCertificates fromPem(String caPem, String certificatePem, String keyPem) {
    try {
      var certificates = CertificateFactory.getInstance("X.509");
      X509Certificate ca =
          (X509Certificate)
              certificates.generateCertificate(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      X509Certificate serving =
          (X509Certificate)
              certificates.generateCertificate(
                  new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
      Object parsed;
      try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
        parsed = parser.readObject();
      }
      var converter = new JcaPEMKeyConverter();
      PrivateKey key =
          // SEC1 as other tools write it (with its curve); the public key is the certificate's
          parsed instanceof PEMKeyPair pair
              ? converter.getPrivateKey(pair.getPrivateKeyInfo())
              : parsed instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
      if (key == null) {
        throw new IllegalArgumentException("tls.key is not a PEM private key");
      }
      return new WebhookCertificates(ca, serving, new KeyPair(serving.getPublicKey(), key));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("unreadable certificate or key: " + e.getMessage(), e);
    }
  }

  /** Whether the serving certificate is valid at {@code until} and names every given host. */
  public boolean serves(List<String> dnsNames, List<String> ipAddresses, Instant until) {
    if (serving.getNotAfter().toInstant().isBefore(until)) {
      return false;
    }
    try {
      var names = serving.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      List<String> present = names.stream().map(n -> String.valueOf(n.get(1))).toList();
      return present.containsAll(dnsNames) && present.containsAll(ipAddresses);
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  public String caPem() {
    return pem(ca);
  }

  public String servingCertificatePem() {
    return pem(serving);
  }

  private static KeyPair p256() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /**
   * PKCS#8 ("PRIVATE KEY"), which names the curve: written as a key object, BouncyCastle turns the
   * JDK's key into SEC1 ("EC PRIVATE KEY") without its curve, which no replica can read back.
   */
  private static org.bouncycastle.util.io.pem.PemObjectGenerator pkcs8(PrivateKey key) {
    try {
      return new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null);
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
