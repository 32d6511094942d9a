package io.stellaops.supplychain.dsse;

import io.stellaops.supplychain.encoding.GoBase64;
import io.stellaops.supplychain.keys.Signatures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * DSSE v1 signing and verification. Written here rather than taken from sigstore-java because the
 * protocol is the 20-line pre-authentication encoding below and this module must stay free of
 * sigstore's transport dependencies so the CLI verifies evidence offline.
 */
public final class Dsse {
  private Dsse() {}

  /**
   * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * Signs {@code payload} with {@code key} (ECDSA P-256 with SHA-256, ASN.1 DER signature); the
   * same payload and key make the same envelope ({@link Signatures#sign}).
   */
  public static Envelope sign(String payloadType, byte[] payload, PrivateKey key, String keyid) {
    String sig =
        Base64.getEncoder().encodeToString(Signatures.sign(key, pae(payloadType, payload)));
    return new Envelope(
        payloadType,
        Base64.getEncoder().encodeToString(payload),
        List.of(new Envelope.Signature(keyid, sig)));
  }

  /**
   * Verifies that at least one signature of {@code envelope} was made by {@code key} and returns
   * the payload. Throws {@link DsseVerificationException} saying what failed.
   */
  public static byte[] verify(Envelope envelope, PublicKey key) {
    if (envelope.signatures().isEmpty()) {
      throw new DsseVerificationException("the envelope has no signatures");
    }
    byte[] payload;
    try {
      payload = envelope.payloadBytes();
    } catch (IllegalArgumentException e) {
      throw new DsseVerificationException("the payload is not valid base64: " + e.getMessage());
    }
    byte[] signed = pae(envelope.payloadType(), payload);
    List<String> problems = new ArrayList<>();
    for (Envelope.Signature s : envelope.signatures()) {
      try {
        Signature verifier = Signature.getInstance(Signatures.algorithm(key));
        verifier.initVerify(key);
        verifier.update(signed);
        if (verifier.verify(GoBase64.standardOrUrl(s.sig()))) {
          return payload;
        }
        problems.add("signature " + s.keyid() + " does not match the key");
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        problems.add("signature " + s.keyid() + " is malformed: " + e.getMessage());
      }
    }
    throw new DsseVerificationException(
        "no signature verifies with the given key (" + String.join("; ", problems) + ")");
  }
}
