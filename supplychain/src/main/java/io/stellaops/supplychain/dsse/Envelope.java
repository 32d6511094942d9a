package io.stellaops.supplychain.dsse;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE envelope (secure-systems-lab/dsse, envelope.md) in its JSON shape: the payload and
 * signatures are base64 (standard alphabet, padded), as cosign and in-toto tooling write them.
 */
public record Envelope(String payloadType, String payload, List<Signature> signatures) {
  public Envelope {
    signatures = List.copyOf(signatures);
  }

  /** The decoded payload bytes. */
  @JsonIgnore
  public byte[] payloadBytes() {
    return Base64.getDecoder().decode(payload);
  }

  /** One signature over {@link Dsse#pae(String, byte[])} of the payload. */
  public record Signature(String keyid, String sig) {}
}
