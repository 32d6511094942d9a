package io.stellaops.supplychain.oci;

import java.util.Optional;

/**
 * The reads signature and attestation checks make: a registry ({@link RegistryClient}) or an OCI
 * image layout carried across an air gap ({@link OciLayout}). Failures are {@link
 * RegistryException}s with the status a registry would answer (404 for what is not there).
 */
public interface OciReader {
  /** The manifest of {@code image} at {@code reference} (tag or digest). */
  RegistryClient.Manifest manifest(
      String image, String reference, Optional<RegistryClient.Credentials> credentials);

  /** The blob {@code digest} of {@code image}, checked against its digest. */
  byte[] blob(String image, String digest, Optional<RegistryClient.Credentials> credentials);

  /** Manifests that name {@code image@digest} as their subject. */
  RegistryClient.Referrers referrers(
      String image, String digest, Optional<RegistryClient.Credentials> credentials);
}
