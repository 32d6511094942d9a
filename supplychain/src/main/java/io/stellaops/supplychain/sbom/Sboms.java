package io.stellaops.supplychain.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.cosign.AttestedStatements;
import io.stellaops.supplychain.digest.ByDigest;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.IOException;
import java.util.Optional;

/**
 * Release components' SBOMs: from cosign CycloneDX attestations (the DSSE envelope layer or
 * Sigstore bundle a verification already accepted, fetched by digest, so the bytes are the verified
 * ones) or from SBOM artifacts a Release names by digest; kept by digest, so findings are
 * recomputed when a feed changes without fetching the SBOM again.
 */
public final class Sboms {
  private final RegistryClient registry;
  private final ByDigest<Sbom> cache = new ByDigest<>(2_000);

  public Sboms(RegistryClient registry) {
    this.registry = registry;
  }

  /**
   * The SBOM attested in {@code envelopeDigest} of {@code image}: a DSSE envelope layer, or a
   * Sigstore bundle holding one.
   */
  public Sbom attested(
      String image, String envelopeDigest, Optional<RegistryClient.Credentials> credentials)
      throws SbomException {
    return cache.get(
        envelopeDigest,
        () -> {
          try {
            JsonNode predicate =
                Statement.predicate(
                    AttestedStatements.read(registry, image, envelopeDigest, credentials));
            if (!predicate.isObject()) {
              throw new SbomException(
                  "the attestation " + envelopeDigest + " carries no predicate");
            }
            return Sbom.parse(CanonicalJson.MAPPER.writeValueAsBytes(predicate));
          } catch (RegistryException e) {
            throw new SbomException("cannot read the SBOM attestation: " + e.getMessage());
          } catch (SignedJson.Rejected e) {
            throw new SbomException(
                "the SBOM attestation " + envelopeDigest + " " + e.getMessage());
          } catch (IOException e) {
            throw new SbomException(
                "the SBOM attestation " + envelopeDigest + " cannot be read: " + e.getMessage());
          }
        });
  }

  /**
   * The SBOM published as the OCI artifact {@code repository@digest} (its first layer, as {@code
   * oras push sbom.cdx.json} writes it).
   */
  public Sbom artifact(
      String repository, String digest, Optional<RegistryClient.Credentials> credentials)
      throws SbomException {
    return cache.get(
        digest,
        () -> {
          try {
            return Sbom.parse(registry.firstLayer(repository + "@" + digest, credentials));
          } catch (RegistryException e) {
            throw new SbomException("cannot read the SBOM artifact: " + e.getMessage());
          }
        });
  }
}
