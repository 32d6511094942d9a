package io.stellaops.crds.evidencepacket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse), as JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
    @Required @JsonPropertyDescription("Payload media type, application/vnd.in-toto+json.")
        String payloadType,
    @Required @JsonPropertyDescription("The Statement, base64-encoded.") String payload,
    @Required
        @Size(min = 1, max = 8)
        @JsonPropertyDescription("Signatures over the DSSE PAE of payloadType and payload.")
        List<Signature> signatures) {

  /** One DSSE signature. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Signature(
      @JsonPropertyDescription(
              "Key id: sha256 of the signer's public key (SubjectPublicKeyInfo DER).")
          String keyid,
      @Required @JsonPropertyDescription("Base64 signature.") String sig) {}
}
