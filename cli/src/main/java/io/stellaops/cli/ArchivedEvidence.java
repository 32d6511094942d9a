package io.stellaops.cli;

import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.oci.DockerConfigJson;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An EvidencePacket's ILM archive, read and checked: every file against the bundle's manifest
 * (sha256 and size) before anything in it is believed.
 */
final class ArchivedEvidence {
  /** Where an archive keeps the packet, laid out as {@code evidence export} writes it. */
  static final String DIR = "evidence/";

  private ArchivedEvidence() {}

  /** The archive's files; says on the CLI's output that the bundle is intact and what it holds. */
  static Map<String, byte[]> read(StellaCli cli, String source) throws IOException {
    byte[] bytes = fetch(cli, source);
    Bundle bundle;
    try {
      bundle = Bundle.read(bytes);
    } catch (Bundle.Damaged e) {
      throw new IllegalArgumentException(source + " is not an intact archive: " + e.getMessage());
    }
    var about = bundle.about();
    if (about.path("apiVersion").asText().startsWith("stellaops.io/ilm-purge-log/")) {
      throw new IllegalArgumentException(
          source
              + " is the purge log of IlmClass "
              + about.path("ilmClass").asText()
              + ", not an EvidencePacket's archive; each line of its purge-log.jsonl says where"
              + " an object's archive is");
    }
    String what =
        about.path("kind").asText()
            + " "
            + about.path("namespace").asText()
            + "/"
            + about.path("name").asText();
    if (!bundle.files().containsKey(DIR + EvidenceCommand.PACKET)
        || !bundle.files().containsKey(DIR + EvidenceCommand.PUBLIC_KEY)) {
      throw new IllegalArgumentException(
          source
              + " is the archive of "
              + what
              + ", which is not an EvidencePacket; the evidence is in the archive tagged"
              + " <namespace>.EvidencePacket.<promotion>");
    }
    cli.out()
        .printf(
            "Archive intact: %s (IlmClass %s, %s), %d files match its manifest%n",
            what,
            about.path("ilmClass").asText(),
            about.path("reason").asText(),
            bundle.files().size());
    return bundle.files();
  }

  /**
   * A bundle's bytes: a file, or the artifact {@code oci://registry/repository:tag|@digest}, read
   * with the docker config's credentials for that registry.
   */
  static byte[] fetch(StellaCli cli, String source) throws IOException {
    if (source.startsWith("oci://")) {
      String reference = source.substring("oci://".length());
      try {
        var named =
            ImageReference.Named.split(reference)
                .orElseThrow(() -> new RegistryException(reference + ": names no tag or digest"));
        return new RegistryClient(Duration.ofSeconds(30), Set.of(), RegistryClient.Limits.BUNDLES)
            .firstLayer(
                reference, dockerCredentials(ImageReference.parse(named.repository()).registry()));
      } catch (RegistryException | IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
      }
    }
    try {
      return Files.readAllBytes(Path.of(source));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(source + " not found");
    }
  }

  /** Credentials for {@code registry} from the docker config ($DOCKER_CONFIG or ~/.docker). */
  static Optional<RegistryClient.Credentials> dockerCredentials(String registry)
      throws IOException {
    String dir = System.getenv("DOCKER_CONFIG");
    Path config =
        dir != null
            ? Path.of(dir, "config.json")
            : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    if (!Files.exists(config)) {
      return Optional.empty();
    }
    return DockerConfigJson.parse(Files.readAllBytes(config)).forRegistry(registry);
  }
}
