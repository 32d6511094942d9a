package io.stellaops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.advisory.SnapshotException;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.archive.Mirror;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.DockerArchive;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.OciLayout;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the operator's own offline kit (run by {@code hack/offline-kit.sh}): the operator and
 * agent images pushed as they were built to a staging registry, signed and SBOM-attested there by
 * cosign with the kit's key, copied with their signatures into an OCI layout; both charts, the
 * CRDs, an advisory snapshot, the air-gap guide; in a bundle of the mirror format whose manifest
 * that key signs. {@code kubectl stella mirror import} reads it on the other side like any mirror.
 */
@Command(
    name = "offline-kit",
    mixinStandardHelpOptions = true,
    description = "Build stella-offline-kit-<version>.tar (hack/offline-kit.sh runs this).")
public final class OfflineKit implements Callable<Integer> {
  /** Where the images are named in the kit: the charts' default registry and repositories. */
  static final String REGISTRY = "ghcr.io/stellaops/";

  static final String PROFILE = "offline-kit";

  /** The name the kit's images are covered by, in the TrustPolicy it carries. */
  static final String TRUST_POLICY = "stella-images";

  @Option(names = "--version", required = true)
  String version;

  @Option(names = "--operator-image", required = true, description = "jib's image.tar")
  Path operatorImage;

  @Option(names = "--operator-sbom", required = true)
  Path operatorSbom;

  @Option(names = "--agent-image", required = true)
  Path agentImage;

  @Option(names = "--agent-sbom", required = true)
  Path agentSbom;

  @Option(names = "--charts", required = true, description = "the charts directory")
  Path charts;

  @Option(names = "--crds", required = true, description = "the generated CRDs")
  Path crds;

  @Option(names = "--guide", required = true, description = "docs/install-airgap.md")
  Path guide;

  @Option(names = "--advisories", description = "an OSV snapshot (.zip or .tar.gz)")
  Path advisories;

  @Option(
      names = "--key",
      required = true,
      description = "the kit's signing key: PEM PKCS#8 EC P-256 private key")
  Path key;

  @Option(names = "--cosign", required = true)
  Path cosign;

  @Option(names = "--staging", required = true, description = "a plain-HTTP registry host:port")
  String staging;

  @Option(
      names = "--created",
      required = true,
      description = "when the kit's key became active (the commit time): the keyring's window")
  Instant created;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OfflineKit()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    // cosign's copy of the kit key is written here: it must not outlive the build
    Path work = Files.createTempDirectory("stella-offline-kit");
    try {
      return build(work);
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private int build(Path work) throws Exception {
    var registry =
        new RegistryClient(Duration.ofSeconds(120), Set.of(staging), RegistryClient.Limits.BUNDLES);
    cosign(
        work,
        "import-key-pair",
        "--key",
        key.toAbsolutePath().toString(),
        "--output-key-prefix",
        "kit");
    String publicPem = Files.readString(work.resolve("kit.pub"));
    PublicKey publicKey = PemKeys.parsePublicKey(publicPem);
    String keyId = PemKeys.keyId(publicKey);

    Map<String, byte[]> files = new TreeMap<>();
    OciLayout layout = OciLayout.empty();
    OciReader staged = new Staged(registry, staging);
    List<Mirror.Image> images = new ArrayList<>();
    for (var image :
        List.of(
            new KitImage("operator", "stella-operator", operatorImage, operatorSbom),
            new KitImage("agent", "stella-agent", agentImage, agentSbom))) {
      String name = REGISTRY + image.repository();
      String digest =
          DockerArchive.read(image.tar()).push(registry, staged(name), version, Optional.empty());
      String at = staged(name) + "@" + digest;
      cosign(work, "sign", "--key", "kit.key", "--tlog-upload=false", "--allow-http-registry", at);
      cosign(
          work,
          "attest",
          "--key",
          "kit.key",
          "--type",
          "cyclonedx",
          "--predicate",
          image.sbom().toAbsolutePath().toString(),
          "--tlog-upload=false",
          "--allow-http-registry",
          at);
      List<String> copied = layout.copyImage(staged, name, digest, Optional.empty());
      layout.copy(staged, name, version, Optional.empty());
      images.add(new Mirror.Image(null, image.component(), name, digest, version, copied));
      files.put("sbom/" + image.repository() + ".cdx.json", Files.readAllBytes(image.sbom()));
      files.put(
          "values/" + image.repository() + "-airgap.yaml",
          values(image, digest).getBytes(StandardCharsets.UTF_8));
    }

    List<Mirror.Artifact> artifacts = new ArrayList<>();
    if (advisories != null) {
      byte[] snapshot = Files.readAllBytes(advisories);
      try {
        // fail here, not in the air gap: one unreadable record rejects the snapshot there
        AdvisorySnapshots.archive(advisories.toString(), new ByteArrayInputStream(snapshot));
      } catch (SnapshotException e) {
        throw new IOException("--advisories: " + e.getMessage(), e);
      }
      String name = REGISTRY + "stella-advisories";
      String mediaType =
          advisories.toString().endsWith(".zip") ? "application/zip" : "application/gzip";
      registry.pushArtifact(
          staged(name),
          version,
          "application/vnd.stellaops.advisories.osv.v1",
          mediaType,
          snapshot,
          Map.of(),
          Optional.empty());
      var manifest = layout.copy(staged, name, version, Optional.empty());
      artifacts.add(new Mirror.Artifact("osv", name + ":" + version, manifest.digest()));
    }

    files.putAll(layout.files(Mirror.LAYOUT));
    files.put(
        Mirror.FILE,
        new Mirror(Mirror.API_VERSION, images, artifacts, List.of(TRUST_POLICY), null, null)
            .toJson());
    files.put("objects/TrustPolicy/" + TRUST_POLICY + ".json", trustPolicy(publicPem));
    int charted = addTree(files, charts, "charts/");
    int crdCount = addTree(files, crds, "crds/");
    files.put("docs/install-airgap.md", Files.readAllBytes(guide));
    files.put("README.md", readme().getBytes(StandardCharsets.UTF_8));
    EvidenceKeyring keyring = EvidenceKeyring.empty().activate(keyId, publicPem, created);
    files.put(ExportCommand.KEYRING, keyring.toJson().getBytes(StandardCharsets.UTF_8));

    ObjectNode about = CanonicalJson.MAPPER.createObjectNode();
    about.put("apiVersion", ExportCommand.API_VERSION);
    about.put("profile", PROFILE);
    about.put("name", "stella-offline-kit-" + version);
    about.put("operatorVersion", version);
    ObjectNode objects = about.putObject("objects");
    objects.put("Image", images.size());
    objects.put("Artifact", artifacts.size());
    objects.put("ChartFile", charted);
    objects.put("CustomResourceDefinition", crdCount);
    byte[] bundle =
        Bundle.of(files, about).signedBytes(PemKeys.parsePrivateKey(Files.readString(key)), keyId);
    Files.write(out, bundle);
    Files.writeString(out.resolveSibling(out.getFileName() + ".pub"), publicPem);
    System.err.printf(
        "%s: %d files, %d MiB, signed by key %s%n",
        out.getFileName(), files.size(), bundle.length >> 20, keyId);
    return 0;
  }

  private record KitImage(String component, String repository, Path tar, Path sbom) {}

  private String staged(String name) {
    return staging + "/" + ImageReference.parse(name).repository();
  }

  /** The staging registry, read under the names the kit gives the images. */
  private record Staged(RegistryClient registry, String host) implements OciReader {
    private String at(String image) {
      return host + "/" + ImageReference.parse(image).repository();
    }

    @Override
    public RegistryClient.Manifest manifest(
        String image, String reference, Optional<RegistryClient.Credentials> credentials) {
      return registry.manifest(at(image), reference, credentials);
    }

    @Override
    public byte[] blob(
        String image, String digest, Optional<RegistryClient.Credentials> credentials) {
      return registry.blob(at(image), digest, credentials);
    }

    @Override
    public RegistryClient.Referrers referrers(
        String image, String digest, Optional<RegistryClient.Credentials> credentials) {
      return registry.referrers(at(image), digest, credentials);
    }
  }

  private void cosign(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cosign.toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(Map.of("COSIGN_PASSWORD", "", "COSIGN_YES", "true"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("cosign " + String.join(" ", args) + " failed:\n" + output);
    }
  }

  /** The chart values that pin the image by digest; the registry is given at install. */
  private static String values(KitImage image, String digest) {
    return """
    # From the offline kit: %s pinned by digest. Install with
    #   --set image.registry=<the registry you imported the kit into>
    image:
      repository: stellaops/%s
      digest: %s
    """
        .formatted(image.repository(), image.repository(), digest);
  }

  /** Requires every image of the kit to be signed by its key and to carry its SBOM attestation. */
  private static byte[] trustPolicy(String publicPem) {
    ObjectNode policy = CanonicalJson.MAPPER.createObjectNode();
    policy.put("apiVersion", "stellaops.io/v1alpha1");
    policy.put("kind", "TrustPolicy");
    policy.putObject("metadata").put("name", TRUST_POLICY);
    ObjectNode spec = policy.putObject("spec");
    spec.putArray("images").add(REGISTRY + "stella-*");
    spec.putArray("authorities")
        .addObject()
        .put("name", "offline-kit")
        .putObject("key")
        .put("publicKey", publicPem);
    spec.putArray("attestations")
        .addObject()
        .put("name", "sbom")
        .put("predicateType", "https://cyclonedx.org/bom")
        .put("condition", "size(predicate.components) > 0");
    return CanonicalJson.bytes(policy);
  }

  /** Adds every file under {@code dir} as {@code prefix}/relative path; how many. */
  private static int addTree(Map<String, byte[]> files, Path dir, String prefix)
      throws IOException {
    int count = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(
            prefix + dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        count++;
      }
    }
    return count;
  }

  private String readme() {
    return """
    # Stella Operator %s: offline kit

    | path | what |
    |---|---|
    | `oci/` | an OCI image layout: the operator and agent images (`ghcr.io/stellaops/stella-operator`, `ghcr.io/stellaops/stella-agent`), their cosign signatures and CycloneDX SBOM attestations, the advisory snapshot |
    | `mirror.json` | the images by digest and every name copied for each |
    | `objects/TrustPolicy/stella-images.json` | requires the kit's signature and SBOM attestation on both images |
    | `charts/` | the `stella-operator` and `stella-agent` Helm charts |
    | `values/` | chart values pinning each image by digest |
    | `crds/` | the CustomResourceDefinitions (also in the operator chart) |
    | `sbom/` | each image's CycloneDX SBOM |
    | `docs/install-airgap.md` | installing from this kit, step by step |

    Import (verifies this kit against the kit key you were given, and both images' signatures
    and SBOM attestations, then pushes; prints the TrustPolicy to apply):

        kubectl stella mirror import <this file> --to <registry> --key stella-offline-kit.pub

    """
            .formatted(version)
        + "Then follow docs/install-airgap.md.\n";
  }
}
