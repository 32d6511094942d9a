package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import java.util.Optional;

/**
 * The in-toto statement of an attestation a verification already accepted, fetched by the digest of
 * its DSSE envelope layer or Sigstore bundle, so the bytes read are the verified ones.
 */
public final class AttestedStatements {
  private AttestedStatements() {}

  /**
   * The statement in {@code envelopeDigest} of {@code image}.
   *
   * @throws SignedJson.Rejected when it is not an unambiguous in-toto envelope
   * @throws io.stellaops.supplychain.oci.RegistryException when it cannot be fetched
   */
  public static JsonNode read(
      OciReader registry,
      String image,
      String envelopeDigest,
      Optional<RegistryClient.Credentials> credentials)
      throws SignedJson.Rejected {
    JsonNode stored = SignedJson.read(registry.blob(image, envelopeDigest, credentials));
    // a Sigstore bundle (cosign --new-bundle-format) wraps the envelope
    JsonNode bundled = SignedJson.field(stored, "dsseEnvelope");
    return Statement.read(Envelope.of(bundled.isObject() ? bundled : stored));
  }
}
