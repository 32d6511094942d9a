package io.stellaops.controllers.archive;

import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Bundles as OCI artifacts in a repository of the registry users already run: one artifact per key
 * (an ILM archive's {@code <namespace>.<Kind>.<name>}, an export's {@code <namespace>.<name>}), its
 * one layer the bundle. Content-addressed, so storing the same bundle again changes nothing.
 */
public final class OciArchive implements ArchiveDestination {
  private final RegistryClient registry;
  private final String repository;
  private final String artifactType;
  private final Optional<RegistryClient.Credentials> credentials;

  public OciArchive(RegistryClient registry, String repository, String artifactType) {
    this(registry, repository, artifactType, Optional.empty());
  }

  public OciArchive(
      RegistryClient registry,
      String repository,
      String artifactType,
      Optional<RegistryClient.Credentials> credentials) {
    this.registry = registry;
    this.repository = repository;
    this.artifactType = artifactType;
    this.credentials = credentials;
  }

  @Override
  public String describe() {
    return "oci://" + repository;
  }

  @Override
  public String store(String key, byte[] bundle, String description) throws ArchiveException {
    try {
      String digest =
          registry.pushArtifact(
              repository,
              key,
              artifactType,
              Bundle.MEDIA_TYPE,
              bundle,
              Map.of(
                  "org.opencontainers.image.title",
                  key + ".tar",
                  "stellaops.io/object",
                  description,
                  "stellaops.io/bundle-digest",
                  Sha256.digest(bundle)),
              credentials);
      byte[] back = registry.firstLayer(repository + "@" + digest, credentials);
      if (!Arrays.equals(back, bundle)) {
        throw new ArchiveException(
            describe() + ": the archive read back from " + digest + " is not what was pushed");
      }
      return describe() + "@" + digest;
    } catch (RegistryException e) {
      throw new ArchiveException(describe() + ": " + e.getMessage());
    }
  }
}
