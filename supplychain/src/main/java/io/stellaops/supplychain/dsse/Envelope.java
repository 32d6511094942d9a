package io.stellaops.supplychain.dsse;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.encoding.GoBase64;
import io.stellaops.supplychain.json.SignedJson;
import java.util.ArrayList;
import java.util.List;

/**
 * A DSSE envelope (secure-systems-lab/dsse, envelope.md) in its JSON shape: the payload and
 * signatures are base64 (standard alphabet, padded), as cosign and in-toto tooling write them.
 */
public record Envelope(String payloadType, String payload, List<Signature> signatures) {
  public Envelope {
    signatures = List.copyOf(signatures);
  }

  /**
   * The envelope in {@code json} (an envelope layer, or a bundle's {@code dsseEnvelope}), read
   * strictly ({@link SignedJson}) with its fields found as cosign's Go code finds them.
   */
  public static Envelope parse(byte[] json) throws SignedJson.Rejected {
    return of(SignedJson.read(json));
  }

  /** The envelope in a tree {@link SignedJson#read} accepted. */
  public static Envelope of(JsonNode json) throws SignedJson.Rejected {
    if (!json.isObject()) {
      throw new SignedJson.Rejected("is not a DSSE envelope (a JSON object)");
    }
    String payloadType = SignedJson.text(json, "payloadType");
    String payload = SignedJson.text(json, "payload");
    if (payloadType == null || payload == null) {
      throw new SignedJson.Rejected("is not a DSSE envelope (payloadType and payload)");
    }
    List<Signature> signatures = new ArrayList<>();
    for (JsonNode s : SignedJson.field(json, "signatures")) {
      String sig = SignedJson.text(s, "sig");
      if (sig == null) {
        throw new SignedJson.Rejected("has a DSSE signature without sig");
      }
      signatures.add(new Signature(SignedJson.text(s, "keyid"), sig));
    }
    return new Envelope(payloadType, payload, signatures);
  }

  /** The decoded payload bytes (standard base64, as cosign decodes statements). */
  @JsonIgnore
  public byte[] payloadBytes() {
    return GoBase64.standard(payload);
  }

  /** One signature over {@link Dsse#pae(String, byte[])} of the payload. */
  public record Signature(String keyid, String sig) {}
}
