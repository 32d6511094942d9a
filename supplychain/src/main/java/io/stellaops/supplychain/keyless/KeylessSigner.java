package io.stellaops.supplychain.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.fulcio.client.FulcioVerificationException;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.rekor.client.RekorVerificationException;
import dev.sigstore.trustroot.TransparencyLog;
import io.stellaops.crds.trustpolicy.KeylessAuthority;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.DsseVerificationException;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.encoding.GoBase64;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.keys.KeyPolicy;
import io.stellaops.supplychain.keys.Signatures;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * A keyless signer: whoever Fulcio (as the trust root knows it) certified with a matching issuer
 * and subject. A layer is signed by it when, entirely offline, its certificate chains to a trusted
 * CA and carries a valid SCT (sigstore-java), names the identity, its key verifies the signature,
 * and a trusted transparency log's signed entry timestamp proves the signature was logged, for this
 * content and certificate, while the short-lived certificate was valid. For cosign's tag layout the
 * log entry check is written here because sigstore-java verifies entries only with an inclusion
 * proof, which that layout does not keep; a Sigstore bundle keeps one, and sigstore-java verifies
 * it ({@link #checkBundle}).
 */
public final class KeylessSigner implements Signer {
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final String NOT_LOGGED =
      "has no transparency log entry (signed with --tlog-upload=false?): the short-lived"
          + " certificate's signing time cannot be proven";

  private final TrustRoot trustRoot;
  private final String issuer;
  private final Pattern issuerPattern;
  private final String subject;
  private final Pattern subjectPattern;

  private KeylessSigner(TrustRoot trustRoot, KeylessAuthority authority) {
    this.trustRoot = trustRoot;
    this.issuer = authority.issuer();
    this.subject = authority.subject();
    this.issuerPattern = compile("issuerRegExp", authority.issuerRegExp());
    this.subjectPattern = compile("subjectRegExp", authority.subjectRegExp());
    if ((issuer == null) == (issuerPattern == null)
        || (subject == null) == (subjectPattern == null)) {
      throw new IllegalArgumentException(
          "a keyless authority needs exactly one of issuer or issuerRegExp and one of subject or"
              + " subjectRegExp");
    }
  }

  /**
   * The signer for {@code authority} under {@code trustRoot}.
   *
   * @throws IllegalArgumentException when a regular expression does not compile or the identity is
   *     incomplete
   */
  public static KeylessSigner of(TrustRoot trustRoot, KeylessAuthority authority) {
    return new KeylessSigner(trustRoot, authority);
  }

  @Override
  public String describe() {
    return "keyless "
        + (subject != null ? subject : "/" + subjectPattern.pattern() + "/")
        + " from "
        + (issuer != null ? issuer : "/" + issuerPattern.pattern() + "/");
  }

  @Override
  public String fingerprint() {
    return trustRoot.digest() + "|" + describe();
  }

  @Override
  public String check(JsonNode annotations, Signed signed, Predicate<PublicKey> verifiesWith) {
    String pem = annotations.path(CERTIFICATE).asText(null);
    if (pem == null || pem.isBlank()) {
      return "carries no Fulcio certificate (signed with a key, not keyless)";
    }
    CertPath path;
    try {
      path = Certificates.fromPemChain(pem + "\n" + annotations.path(CHAIN).asText(""));
    } catch (CertificateException | RuntimeException e) {
      return "has an unreadable certificate: " + TrustRoot.causes(e);
    }
    String certificate = certificateProblem(path);
    if (certificate != null) {
      return certificate;
    }
    X509Certificate leaf = Certificates.getLeaf(path);
    if (!verifiesWith.test(leaf.getPublicKey())) {
      return "does not verify with the key of its certificate";
    }
    return logged(annotations.path(BUNDLE).asText(null), leaf, signed);
  }

  /**
   * A bundle: sigstore-java reads it, checks the certificate (chain, SCT) and the log entry
   * (inclusion proof, signed checkpoint, SET); the identity, the DSSE signature, the signing time
   * inside the certificate's validity and the entry's binding to this envelope and certificate are
   * checked here. Not sigstore-java's KeylessVerifier: it refuses in-toto subjects without a name,
   * and cosign's image statements have none.
   */
  @Override
  public String checkBundle(byte[] json, Envelope envelope) {
    JsonNode material;
    try {
      material = SignedJson.field(SignedJson.read(json), "verificationMaterial");
    } catch (SignedJson.Rejected e) {
      return e.getMessage();
    }
    if (material.has("publicKey")) {
      return "carries no Fulcio certificate (signed with a key, not keyless)";
    }
    if (material.path("tlogEntries").isEmpty()) {
      return NOT_LOGGED;
    }
    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(new String(json, StandardCharsets.UTF_8)));
    } catch (BundleParseException | RuntimeException e) {
      return "is a bundle sigstore-java cannot read: " + TrustRoot.causes(e);
    }
    String certificate = certificateProblem(bundle.getCertPath());
    if (certificate != null) {
      return certificate;
    }
    X509Certificate leaf = Certificates.getLeaf(bundle.getCertPath());
    try {
      Dsse.verify(envelope, leaf.getPublicKey());
    } catch (DsseVerificationException e) {
      return "does not verify with the key of its certificate";
    }
    RekorEntry entry = bundle.getEntries().get(0);
    List<String> signatures = envelope.signatures().stream().map(Envelope.Signature::sig).toList();
    return entryProblem(
        entry.getLogID(),
        entry.getIntegratedTime(),
        entry.getBody(),
        leaf,
        new Signed(Kind.DSSE, envelope.payloadBytes(), signatures),
        tlog -> {
          try {
            trustRoot.rekor().verifyEntry(entry);
            return null;
          } catch (RekorVerificationException | RuntimeException e) {
            return "has a transparency log entry that does not verify: " + TrustRoot.causes(e);
          }
        });
  }

  /**
   * Null when the certificate chains to a CA of the trust root, carries a valid SCT and names this
   * identity, else which of these fails.
   */
  private String certificateProblem(CertPath path) {
    try {
      // whatever a malformed certificate makes sigstore-java throw is a failed check, not a crash
      trustRoot.fulcio().verifySigningCertificate(path);
    } catch (FulcioVerificationException | IOException | RuntimeException e) {
      String why = TrustRoot.causes(e);
      // sigstore-java throws one exception type for chain and SCT failures; only its message
      // tells them apart, and that only chooses the wording of ours
      return (why.contains("SCT")
              ? "has a certificate without a valid SCT from a trusted CT log: "
              : "has a certificate that does not chain to the trust root's CAs: ")
          + why;
    }
    X509Certificate leaf = Certificates.getLeaf(path);
    String weak = KeyPolicy.problem(leaf.getPublicKey());
    if (weak != null) {
      return "has a certificate whose key is refused: " + weak;
    }
    return identityMismatch(leaf);
  }

  /** Null when the certificate names this identity, else what it names instead. */
  private String identityMismatch(X509Certificate leaf) {
    String certSubject;
    String certIssuer;
    try {
      certSubject = san(leaf);
      certIssuer = fulcioIssuer(leaf);
    } catch (CertificateException e) {
      return "has a certificate without a readable identity: " + e.getMessage();
    }
    boolean subjectOk =
        subject != null ? subject.equals(certSubject) : subjectPattern.matcher(certSubject).find();
    boolean issuerOk =
        issuer != null ? issuer.equals(certIssuer) : issuerPattern.matcher(certIssuer).find();
    if (subjectOk && issuerOk) {
      return null;
    }
    return "is by another identity: the certificate is for "
        + certSubject
        + " from "
        + certIssuer
        + ", the authority wants "
        + describe().substring("keyless ".length());
  }

  /** Null when the Rekor bundle proves the signature was logged while the certificate was valid. */
  private String logged(String bundleJson, X509Certificate leaf, Signed signed) {
    if (bundleJson == null || bundleJson.isBlank()) {
      return NOT_LOGGED;
    }
    JsonNode entry;
    try {
      entry = SignedJson.read(bundleJson.getBytes(StandardCharsets.UTF_8));
    } catch (SignedJson.Rejected e) {
      return "has a transparency log entry that " + e.getMessage();
    }
    JsonNode payload = SignedJson.field(entry, "Payload");
    String logId = SignedJson.field(payload, "logID").asText();
    long integratedTime = SignedJson.field(payload, "integratedTime").asLong();
    String body = SignedJson.field(payload, "body").asText();
    Map<String, Object> signable = new LinkedHashMap<>();
    signable.put("body", body);
    signable.put("integratedTime", integratedTime);
    signable.put("logID", logId);
    signable.put("logIndex", SignedJson.field(payload, "logIndex").asLong());
    return entryProblem(
        logId,
        integratedTime,
        body,
        leaf,
        signed,
        tlog -> {
          try {
            PublicKey logKey = tlog.getPublicKey().toJavaPublicKey();
            byte[] set =
                GoBase64.standard(SignedJson.field(entry, "SignedEntryTimestamp").asText());
            return Signatures.verify(logKey, CanonicalJson.bytes(signable), set)
                ? null
                : "has a transparency log entry whose signed entry timestamp does not verify"
                    + " with the log's key";
          } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "has an unreadable signed entry timestamp: " + e.getMessage();
          }
        });
  }

  /**
   * Null when a log the trust root lists recorded this content, signature and certificate while the
   * certificate was valid; {@code proof} checks, against that log's key, that the entry is genuine
   * (the two layouts keep different proofs).
   */
  private String entryProblem(
      String logId,
      long integratedTime,
      String body,
      X509Certificate leaf,
      Signed signed,
      Function<TransparencyLog, String> proof) {
    Instant logged = Instant.ofEpochSecond(integratedTime);
    TransparencyLog tlog;
    try {
      tlog = trustRoot.tlog(HexFormat.of().parseHex(logId), logged).orElse(null);
    } catch (IllegalArgumentException e) {
      tlog = null;
    }
    if (tlog == null) {
      return "has a transparency log entry from a log the trust root does not list (logID "
          + logId
          + " at "
          + logged
          + ")";
    }
    String unproven = proof.apply(tlog);
    if (unproven != null) {
      return unproven;
    }
    try {
      leaf.checkValidity(Date.from(logged));
    } catch (CertificateException e) {
      return "was logged at "
          + logged
          + ", outside the certificate's validity ("
          + leaf.getNotBefore().toInstant()
          + " to "
          + leaf.getNotAfter().toInstant()
          + ")";
    }
    return bodyMismatch(body, leaf, signed);
  }

  /** Null when the log entry records this content, signature and certificate. */
  private static String bodyMismatch(String body64, X509Certificate leaf, Signed signed) {
    JsonNode body;
    try {
      body = SignedJson.read(GoBase64.standard(body64));
    } catch (SignedJson.Rejected e) {
      return "has a transparency log entry body that " + e.getMessage();
    } catch (IllegalArgumentException e) {
      return "has a transparency log entry body that is not base64: " + e.getMessage();
    }
    String kind = body.path("kind").asText();
    String payloadHash = Sha256.hex(signed.payload());
    JsonNode spec = body.path("spec");
    boolean matches;
    if (signed.kind() == Kind.HASHED_REKORD && "hashedrekord".equals(kind)) {
      matches =
          payloadHash.equals(spec.at("/data/hash/value").asText())
              && signed.signatures().contains(spec.at("/signature/content").asText())
              && sameCertificate(spec.at("/signature/publicKey/content").asText(), leaf);
    } else if (signed.kind() == Kind.DSSE && "dsse".equals(kind)) {
      matches = payloadHash.equals(spec.at("/payloadHash/value").asText());
      boolean signatureLogged = false;
      for (JsonNode s : spec.path("signatures")) {
        signatureLogged |=
            signed.signatures().contains(s.path("signature").asText())
                && sameCertificate(s.path("verifier").asText(), leaf);
      }
      matches &= signatureLogged;
    } else {
      return "has a transparency log entry of kind "
          + kind
          + ", not one for a "
          + (signed.kind() == Kind.DSSE ? "DSSE envelope (dsse)" : "signature (hashedrekord)");
    }
    return matches
        ? null
        : "has a transparency log entry for other content, signature or certificate";
  }

  private static boolean sameCertificate(String base64Pem, X509Certificate leaf) {
    try {
      var logged =
          Certificates.fromPem(
              new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII));
      return Arrays.equals(logged.getEncoded(), leaf.getEncoded());
    } catch (CertificateException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The one e-mail or URI subject alternative name Fulcio writes. */
  static String san(X509Certificate leaf) throws CertificateException {
    var names = leaf.getSubjectAlternativeNames();
    if (names != null) {
      for (List<?> name : names) {
        Object type = name.get(0);
        if (Integer.valueOf(1).equals(type) || Integer.valueOf(6).equals(type)) {
          return String.valueOf(name.get(1));
        }
      }
    }
    throw new CertificateException("the certificate has no e-mail or URI subject alternative name");
  }

  /** The OIDC issuer: Fulcio's DER-encoded extension, else its older raw one. */
  static String fulcioIssuer(X509Certificate leaf) throws CertificateException {
    try {
      byte[] v2 = leaf.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        ASN1Primitive value =
            ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        if (value instanceof ASN1String s) {
          return s.getString();
        }
      }
      byte[] v1 = leaf.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CertificateException("the Fulcio issuer extension is malformed: " + e.getMessage());
    }
    throw new CertificateException("the certificate has no Fulcio issuer extension");
  }

  private static Pattern compile(String field, String regexp) {
    if (regexp == null) {
      return null;
    }
    try {
      return Pattern.compile(regexp);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          field + " is not a valid RE2 expression: " + e.getMessage());
    }
  }
}
