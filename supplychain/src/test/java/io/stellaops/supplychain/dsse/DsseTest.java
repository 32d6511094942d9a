package io.stellaops.supplychain.dsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsseTest {
  private static final String TYPE = "application/vnd.in-toto+json";
  private final KeyPair key = PemKeys.generateP256();
  private final byte[] payload =
      "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void preAuthenticationEncodingMatchesTheSpecExample() {
    // DSSE protocol.md, "Test cases".
    byte[] pae =
        Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void verifiesWhatItSigned() {
    Envelope envelope = Dsse.sign(TYPE, payload, key.getPrivate(), PemKeys.keyId(key.getPublic()));
    assertThat(Dsse.verify(envelope, key.getPublic())).isEqualTo(payload);
    assertThat(envelope.signatures())
        .singleElement()
        .extracting(Envelope.Signature::keyid)
        .isEqualTo(PemKeys.keyId(key.getPublic()));
  }

  @Test
  void rejectsATamperedPayload() {
    Envelope signed = Dsse.sign(TYPE, payload, key.getPrivate(), "k");
    byte[] changed =
        "{\"_type\":\"https://in-toto.io/Statement/v0\"}".getBytes(StandardCharsets.UTF_8);
    Envelope tampered =
        new Envelope(TYPE, Base64.getEncoder().encodeToString(changed), signed.signatures());
    assertThatThrownBy(() -> Dsse.verify(tampered, key.getPublic()))
        .isInstanceOf(DsseVerificationException.class)
        .hasMessageContaining("signature k does not match the key");
  }

  @Test
  void rejectsAChangedPayloadType() {
    Envelope signed = Dsse.sign(TYPE, payload, key.getPrivate(), "k");
    Envelope retyped = new Envelope("text/plain", signed.payload(), signed.signatures());
    assertThatThrownBy(() -> Dsse.verify(retyped, key.getPublic()))
        .isInstanceOf(DsseVerificationException.class);
  }

  @Test
  void rejectsAnotherKey() {
    Envelope signed = Dsse.sign(TYPE, payload, key.getPrivate(), "k");
    assertThatThrownBy(() -> Dsse.verify(signed, PemKeys.generateP256().getPublic()))
        .isInstanceOf(DsseVerificationException.class)
        .hasMessageContaining("no signature verifies");
  }

  @Test
  void rejectsAnUnsignedEnvelope() {
    Envelope unsigned = new Envelope(TYPE, Base64.getEncoder().encodeToString(payload), List.of());
    assertThatThrownBy(() -> Dsse.verify(unsigned, key.getPublic()))
        .hasMessage("the envelope has no signatures");
  }

  @Test
  void reportsAMalformedSignature() {
    Envelope signed = Dsse.sign(TYPE, payload, key.getPrivate(), "k");
    Envelope garbled =
        new Envelope(TYPE, signed.payload(), List.of(new Envelope.Signature("k", "bm90IGEgc2ln")));
    assertThatThrownBy(() -> Dsse.verify(garbled, key.getPublic()))
        .hasMessageContaining("signature k is malformed");
  }
}
