package io.stellaops.supplychain.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Release components' SBOMs: from cosign CycloneDX attestations (the DSSE envelope layer or
 * Sigstore bundle a verification already accepted, fetched by digest, so the bytes are the verified
 * ones) or from SBOM artifacts a Release names by digest; kept by digest, so findings are
 * recomputed when a feed changes without fetching the SBOM again.
 */
public final class Sboms {
  private static final int CAPACITY = 2_000;

  private final RegistryClient registry;
  private final Map<String, Sbom> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sbom> eldest) {
          return size() > CAPACITY;
        }
      };

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
    return cached(
        envelopeDigest,
        () -> {
          try {
            JsonNode stored = SignedJson.read(registry.blob(image, envelopeDigest, credentials));
            // a Sigstore bundle (cosign --new-bundle-format) wraps the envelope
            JsonNode bundled = SignedJson.field(stored, "dsseEnvelope");
            Envelope envelope = Envelope.of(bundled.isObject() ? bundled : stored);
            JsonNode predicate = Statement.predicate(Statement.read(envelope));
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
    return cached(
        digest,
        () -> {
          try {
            return Sbom.parse(registry.firstLayer(repository + "@" + digest, credentials));
          } catch (RegistryException e) {
            throw new SbomException("cannot read the SBOM artifact: " + e.getMessage());
          }
        });
  }

  private interface Reader {
    Sbom read() throws SbomException;
  }

  /** Read once per digest: the bytes behind a digest never change. */
  private Sbom cached(String digest, Reader reader) throws SbomException {
    synchronized (cache) {
      Sbom cached = cache.get(digest);
      if (cached != null) {
        return cached;
      }
    }
    Sbom sbom = reader.read();
    synchronized (cache) {
      cache.put(digest, sbom);
    }
    return sbom;
  }
}
