package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigstore.encryption.certificates.Certificates;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private Sigstore on loopback for tests: a Fulcio-compatible CA ({@code /api/v1/signingCert})
 * that issues short-lived code-signing certificates with an embedded SCT from its own CT log key,
 * an OIDC issuer that mints ID tokens, and a Rekor-compatible log ({@code /api/v1/log/entries})
 * that answers with a signed entry timestamp and an RFC 6962 inclusion proof. The real cosign CLI
 * signs against it exactly as against a private Sigstore deployment, and {@link #trustedRoot()} is
 * the trusted_root.json that deployment would publish. Written here because Fulcio, Rekor and a CT
 * log need Trillian and a database, which a test run cannot stand up.
 */
public final class LocalSigstore implements AutoCloseable {
  static final ASN1ObjectIdentifier FULCIO_ISSUER_V1 =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.1");
  static final ASN1ObjectIdentifier FULCIO_ISSUER_V2 =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8");
  static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2");

  private final String name;
  private final HttpServer server;
  private final KeyPair root = PemKeys.generateP256();
  private final KeyPair intermediate = PemKeys.generateP256();
  private final KeyPair ctLog = PemKeys.generateP256();
  private final KeyPair rekor = PemKeys.generateP256();
  private final KeyPair oidc = PemKeys.generateP256();
  private final X509Certificate rootCertificate;
  private final X509Certificate intermediateCertificate;
  private final Instant start = Instant.now().minus(Duration.ofHours(1));
  private final List<byte[]> leaves = new ArrayList<>();
  private final AtomicLong serials = new AtomicLong(1);
  private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile Duration logClockSkew = Duration.ZERO;

  private LocalSigstore(String name) throws Exception {
    this.name = name;
    X500Name rootName = new X500Name("O=" + name + ",CN=" + name + " root");
    X500Name intermediateName = new X500Name("O=" + name + ",CN=" + name + " intermediate");
    rootCertificate =
        certificate(
            rootName,
            root,
            rootName,
            root.getPublic(),
            start,
            start.plus(Duration.ofDays(3650)),
            b -> {
              b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              b.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            });
    intermediateCertificate =
        certificate(
            rootName,
            root,
            intermediateName,
            intermediate.getPublic(),
            start,
            start.plus(Duration.ofDays(3650)),
            b -> {
              b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
              b.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
              b.addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            });
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * A new private Sigstore whose CA, CT log and Rekor keys are its own; {@code name} labels them.
   */
  public static LocalSigstore start(String name) throws Exception {
    return new LocalSigstore(name);
  }

  /** Base URL of both the CA and the log, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Makes the log integrate entries {@code skew} later than now, as a log whose clock is off (or a
   * signature logged after its certificate expired) would.
   */
  public void logClockSkew(Duration skew) {
    this.logClockSkew = skew;
  }

  /** What cosign asked for, e.g. {@code POST /api/v1/signingCert 201}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * An ID token for {@code subject} (an e-mail) from {@code issuer}, as an OIDC provider would
   * issue it to a CI job; the CA accepts tokens it signed itself, for any issuer named in them.
   */
  public String idToken(String issuer, String subject) throws Exception {
    long now = Instant.now().getEpochSecond();
    ObjectNode claims = CanonicalJson.MAPPER.createObjectNode();
    claims.put("iss", issuer);
    claims.put("sub", subject);
    claims.put("email", subject);
    claims.put("email_verified", true);
    claims.put("aud", "sigstore");
    claims.put("iat", now);
    claims.put("exp", now + 600);
    var encoder = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        encoder.encodeToString(
                "{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + encoder.encodeToString(CanonicalJson.MAPPER.writeValueAsBytes(claims));
    Signature jws = Signature.getInstance("SHA256withECDSAinP1363Format");
    jws.initSign(oidc.getPrivate());
    jws.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + encoder.encodeToString(jws.sign());
  }

  /**
   * The trusted_root.json of this Sigstore: its CA chain, its Rekor key and its CT log key, each
   * valid from an hour before it started.
   */
  public String trustedRoot() throws Exception {
    ObjectNode root = CanonicalJson.MAPPER.createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    root.putArray("tlogs").add(log(rekor.getPublic()));
    ObjectNode ca = root.putArray("certificateAuthorities").addObject();
    ca.putObject("subject").put("organization", name).put("commonName", name);
    ca.put("uri", url());
    ArrayNode chain = ca.putObject("certChain").putArray("certificates");
    chain.addObject().put("rawBytes", base64(intermediateCertificate.getEncoded()));
    chain.addObject().put("rawBytes", base64(rootCertificate.getEncoded()));
    ca.putObject("validFor").put("start", start.toString());
    root.putArray("ctlogs").add(log(ctLog.getPublic()));
    root.putArray("timestampAuthorities");
    return CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** Writes {@link #trustedRoot()} to {@code file} and returns it. */
  public Path writeTrustedRoot(Path file) throws Exception {
    Files.writeString(file, trustedRoot());
    return file;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private ObjectNode log(PublicKey key) {
    ObjectNode log = CanonicalJson.MAPPER.createObjectNode();
    log.put("baseUrl", url());
    log.put("hashAlgorithm", "SHA2_256");
    ObjectNode publicKey = log.putObject("publicKey");
    publicKey.put("rawBytes", base64(key.getEncoded()));
    publicKey.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    publicKey.putObject("validFor").put("start", start.toString());
    log.putObject("logId").put("keyId", base64(Sha256.raw(key.getEncoded())));
    return log;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int status;
    byte[] answer;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("POST".equals(exchange.getRequestMethod()) && path.equals("/api/v1/signingCert")) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        answer =
            signingCertificate(
                authorization == null ? "" : authorization.replaceFirst("^Bearer ", ""),
                CanonicalJson.MAPPER.readTree(body));
        status = 201;
      } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/api/v1/log/entries")) {
        answer = logEntry(CanonicalJson.MAPPER.readTree(body));
        status = 201;
      } else if (path.equals("/api/v1/log/publicKey")) {
        answer = PemKeys.publicKeyPem(rekor.getPublic()).getBytes(StandardCharsets.UTF_8);
        status = 200;
      } else {
        answer = ("{\"code\":404,\"message\":\"not served: " + path + "\"}").getBytes();
        status = 404;
      }
    } catch (Exception e) {
      answer = CanonicalJson.MAPPER.writeValueAsBytes(Map.of("code", 400, "message", e.toString()));
      status = 400;
    }
    requests.add(exchange.getRequestMethod() + " " + path + " " + status);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  /**
   * Fulcio's v1 signingCert, the API cosign calls: bearer ID token, public key and the subject
   * signed with its private key in; PEM chain, leaf first, out.
   */
  private byte[] signingCertificate(String token, JsonNode request) throws Exception {
    JsonNode claims = verifiedClaims(token);
    String subject = claims.path("email").asText(claims.path("sub").asText());
    byte[] content = Base64.getDecoder().decode(request.at("/publicKey/content").asText());
    String text = new String(content, StandardCharsets.US_ASCII);
    PublicKey key =
        text.startsWith("-----BEGIN")
            ? PemKeys.parsePublicKey(text)
            : PemKeys.parsePublicKey(
                "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getEncoder().encodeToString(content)
                    + "\n-----END PUBLIC KEY-----\n");
    byte[] proof = Base64.getDecoder().decode(request.path("signedEmailAddress").asText());
    Signature possession = Signature.getInstance("SHA256withECDSA");
    possession.initVerify(key);
    possession.update(subject.getBytes(StandardCharsets.UTF_8));
    if (!possession.verify(proof)) {
      throw new IllegalArgumentException("proof of possession does not verify for " + subject);
    }
    X509Certificate leaf = leaf(key, subject, claims.path("iss").asText());
    StringBuilder chain = new StringBuilder();
    for (X509Certificate c : List.of(leaf, intermediateCertificate, rootCertificate)) {
      chain.append(Certificates.toPemString(c));
    }
    return chain.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private JsonNode verifiedClaims(String token) throws Exception {
    String[] parts = token.split("\\.");
    Signature jws = Signature.getInstance("SHA256withECDSAinP1363Format");
    jws.initVerify(oidc.getPublic());
    jws.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    if (parts.length != 3 || !jws.verify(Base64.getUrlDecoder().decode(parts[2]))) {
      throw new IllegalArgumentException("ID token not signed by this Sigstore's OIDC key");
    }
    return CanonicalJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
  }

  /**
   * A ten-minute code-signing certificate for {@code subject} with Fulcio's issuer extensions and
   * an SCT embedded the RFC 6962 way: the log signs the precertificate's TBS, which is the final
   * certificate's TBS without the SCT list.
   */
  private X509Certificate leaf(PublicKey key, String subject, String issuer) throws Exception {
    Instant notBefore = Instant.now().minusSeconds(1);
    BigInteger serial = BigInteger.valueOf(serials.incrementAndGet());
    var utils = new JcaX509ExtensionUtils();
    Extensions extensions =
        b -> {
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          b.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
          b.addExtension(
              Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
          b.addExtension(
              Extension.authorityKeyIdentifier,
              false,
              utils.createAuthorityKeyIdentifier(intermediateCertificate));
          b.addExtension(
              Extension.subjectAlternativeName,
              true,
              new GeneralNames(new GeneralName(GeneralName.rfc822Name, subject)));
          b.addExtension(
              new Extension(FULCIO_ISSUER_V1, false, issuer.getBytes(StandardCharsets.UTF_8)));
          b.addExtension(FULCIO_ISSUER_V2, false, new DERUTF8String(issuer));
        };
    X500Name issuerName =
        X500Name.getInstance(intermediateCertificate.getSubjectX500Principal().getEncoded());
    Instant notAfter = notBefore.plus(Duration.ofMinutes(10));
    X509v3CertificateBuilder pre =
        new JcaX509v3CertificateBuilder(
            issuerName, serial, Date.from(notBefore), Date.from(notAfter), new X500Name(""), key);
    extensions.add(pre);
    X509CertificateHolder precertificate = pre.build(signer(intermediate));
    byte[] sct = sct(precertificate.toASN1Structure().getTBSCertificate().getEncoded());
    X509v3CertificateBuilder fin =
        new JcaX509v3CertificateBuilder(
            issuerName, serial, Date.from(notBefore), Date.from(notAfter), new X500Name(""), key);
    extensions.add(fin);
    fin.addExtension(SCT_LIST, false, new DEROctetString(sctList(sct)));
    return new JcaX509CertificateConverter().getCertificate(fin.build(signer(intermediate)));
  }

  /** An RFC 6962 v1 SCT for a precertificate issued by the intermediate. */
  private byte[] sct(byte[] tbs) throws Exception {
    long timestamp = Instant.now().toEpochMilli();
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // v1
    signed.write(0); // certificate_timestamp
    signed.write(ByteBuffer.allocate(8).putLong(timestamp).array());
    signed.write(new byte[] {0, 1}); // precert_entry
    signed.write(Sha256.raw(intermediate.getPublic().getEncoded()));
    signed.write(
        new byte[] {(byte) (tbs.length >> 16), (byte) (tbs.length >> 8), (byte) tbs.length});
    signed.write(tbs);
    signed.write(new byte[] {0, 0}); // no extensions
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initSign(ctLog.getPrivate());
    ecdsa.update(signed.toByteArray());
    byte[] signature = ecdsa.sign();
    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.write(Sha256.raw(ctLog.getPublic().getEncoded()));
    sct.write(ByteBuffer.allocate(8).putLong(timestamp).array());
    sct.write(new byte[] {0, 0});
    sct.write(4); // sha256
    sct.write(3); // ecdsa
    sct.write(new byte[] {(byte) (signature.length >> 8), (byte) signature.length});
    sct.write(signature);
    return sct.toByteArray();
  }

  private static byte[] sctList(byte[] sct) {
    ByteBuffer list = ByteBuffer.allocate(4 + sct.length);
    list.putShort((short) (2 + sct.length));
    list.putShort((short) sct.length);
    list.put(sct);
    return list.array();
  }

  /**
   * Rekor's createLogEntry: the proposed entry, canonicalised, is appended; the answer carries the
   * signed entry timestamp over (body, integratedTime, logID, logIndex) and an inclusion proof with
   * a signed checkpoint.
   */
  private synchronized byte[] logEntry(JsonNode proposed) throws Exception {
    byte[] body = CanonicalJson.bytes(canonical(proposed));
    long index = leaves.size();
    leaves.add(leafHash(body));
    long integratedTime = Instant.now().plus(logClockSkew).getEpochSecond();
    String logId = Sha256.hex(rekor.getPublic().getEncoded());
    ObjectNode signable = CanonicalJson.MAPPER.createObjectNode();
    signable.put("body", base64(body));
    signable.put("integratedTime", integratedTime);
    signable.put("logID", logId);
    signable.put("logIndex", index);
    ObjectNode entry = signable.deepCopy();
    ObjectNode verification = entry.putObject("verification");
    verification.put("signedEntryTimestamp", base64(sign(rekor, CanonicalJson.bytes(signable))));
    byte[] rootHash = merkleRoot(leaves);
    ObjectNode proof = verification.putObject("inclusionProof");
    proof.put("logIndex", index);
    proof.put("treeSize", leaves.size());
    proof.put("rootHash", HexFormat.of().formatHex(rootHash));
    ArrayNode hashes = proof.putArray("hashes");
    for (byte[] h : auditPath((int) index, leaves)) {
      hashes.add(HexFormat.of().formatHex(h));
    }
    proof.put("checkpoint", checkpoint(leaves.size(), rootHash));
    ObjectNode answer = CanonicalJson.MAPPER.createObjectNode();
    answer.set(Sha256.hex(body), entry);
    return CanonicalJson.MAPPER.writeValueAsBytes(answer);
  }

  /**
   * The entry as Rekor stores it: hashedrekord as proposed; dsse reduced to the hashes of its
   * envelope and payload and its signatures with their verifiers, the envelope itself dropped.
   */
  private static JsonNode canonical(JsonNode proposed) throws Exception {
    if (!"dsse".equals(proposed.path("kind").asText())) {
      return proposed;
    }
    JsonNode content = proposed.at("/spec/proposedContent");
    String envelopeText = content.path("envelope").asText();
    JsonNode envelope = CanonicalJson.MAPPER.readTree(envelopeText);
    ObjectNode entry = CanonicalJson.MAPPER.createObjectNode();
    entry.put("apiVersion", proposed.path("apiVersion").asText());
    entry.put("kind", "dsse");
    ObjectNode spec = entry.putObject("spec");
    spec.putObject("envelopeHash")
        .put("algorithm", "sha256")
        .put("value", Sha256.hex(envelopeText.getBytes(StandardCharsets.UTF_8)));
    spec.putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", Sha256.hex(Base64.getDecoder().decode(envelope.path("payload").asText())));
    ArrayNode signatures = spec.putArray("signatures");
    for (JsonNode s : envelope.path("signatures")) {
      signatures
          .addObject()
          .put("signature", s.path("sig").asText())
          .put("verifier", content.path("verifiers").path(0).asText());
    }
    return entry;
  }

  /** A signed note as Rekor writes checkpoints: origin, size, root; then the key's signature. */
  private String checkpoint(long size, byte[] rootHash) throws Exception {
    String host = "127.0.0.1";
    String text = host + " - 1\n" + size + "\n" + base64(rootHash) + "\n";
    byte[] keyHint = java.util.Arrays.copyOf(Sha256.raw(rekor.getPublic().getEncoded()), 4);
    byte[] signature = sign(rekor, text.getBytes(StandardCharsets.UTF_8));
    ByteBuffer hinted = ByteBuffer.allocate(4 + signature.length).put(keyHint).put(signature);
    return text + "\n\u2014 " + host + " " + base64(hinted.array()) + "\n";
  }

  private static byte[] leafHash(byte[] leaf) {
    return Sha256.raw(concat(new byte[] {0}, leaf));
  }

  private static byte[] merkleRoot(List<byte[]> hashes) {
    if (hashes.size() == 1) {
      return hashes.get(0);
    }
    int split = Integer.highestOneBit(hashes.size() - 1);
    return Sha256.raw(
        concat(
            new byte[] {1},
            merkleRoot(hashes.subList(0, split)),
            merkleRoot(hashes.subList(split, hashes.size()))));
  }

  /** RFC 6962 PATH(m, D[n]): the audit path of leaf {@code m}, bottom up. */
  private static List<byte[]> auditPath(int m, List<byte[]> hashes) {
    List<byte[]> path = new ArrayList<>();
    if (hashes.size() <= 1) {
      return path;
    }
    int split = Integer.highestOneBit(hashes.size() - 1);
    if (m < split) {
      path.addAll(auditPath(m, hashes.subList(0, split)));
      path.add(merkleRoot(hashes.subList(split, hashes.size())));
    } else {
      path.addAll(auditPath(m - split, hashes.subList(split, hashes.size())));
      path.add(merkleRoot(hashes.subList(0, split)));
    }
    return path;
  }

  @FunctionalInterface
  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws Exception;
  }

  private static X509Certificate certificate(
      X500Name issuer,
      KeyPair issuerKey,
      X500Name subject,
      PublicKey key,
      Instant notBefore,
      Instant notAfter,
      Extensions extensions)
      throws Exception {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(System.nanoTime()),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            key);
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
    extensions.add(builder);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
  }

  private static ContentSigner signer(KeyPair key) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
  }

  private static byte[] sign(KeyPair key, byte[] data) throws Exception {
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initSign(key.getPrivate());
    ecdsa.update(data);
    return ecdsa.sign();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
