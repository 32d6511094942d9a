package io.stellaops.supplychain.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.TestImages;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Snapshots published as OCI artifacts in a real registry (Debian docker-registry). */
class AdvisorySnapshotsIT {
  final RegistryClient client = new RegistryClient(Duration.ofSeconds(5));

  @Test
  void loadsASnapshotArtifactByTagAndByDigest() throws Exception {
    try (var registry = LocalRegistry.start()) {
      var source = TestData.path("osv", "ghsa-from-osv-scalibr");
      String repo = registry.host() + "/mirror/osv";
      String digest = TestImages.pushFiles(repo + ":2026-11-23", source);
      AdvisoryIndex byTag =
          AdvisorySnapshots.fromRegistry(client, repo + ":2026-11-23", Optional.empty());
      AdvisoryIndex byDigest =
          AdvisorySnapshots.fromRegistry(client, repo + "@" + digest, Optional.empty());
      AdvisoryIndex fromDirectory = AdvisorySnapshots.load(source);
      assertThat(byTag.advisories()).isEqualTo(fromDirectory.advisories());
      assertThat(byTag.perEcosystem()).isEqualTo(fromDirectory.perEcosystem());
      assertThat(byDigest.digest()).isEqualTo(byTag.digest());

      assertThatThrownBy(
              () -> AdvisorySnapshots.fromRegistry(client, repo + ":missing", Optional.empty()))
          .isInstanceOf(SnapshotException.class)
          .hasMessageContaining(repo + ":missing")
          .hasMessageContaining("MANIFEST_UNKNOWN");
      assertThatThrownBy(() -> AdvisorySnapshots.fromRegistry(client, repo, Optional.empty()))
          .hasMessageContaining("names no tag or digest");
    }
  }
}
