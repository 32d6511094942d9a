package io.stellaops.cli;

import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.crds.export.Export;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "export",
    description =
        "Fetch and verify Export bundles. verify works offline on a bundle file, or reads it from"
            + " its OCI repository.",
    subcommands = {ExportCommand.Get.class, ExportCommand.Verify.class})
final class ExportCommand implements Runnable {
  static final String API_VERSION = "stellaops.io/export/v1";
  static final String KEYRING = "keys/" + EvidenceKeyring.DATA_KEY;

  @ParentCommand StellaCli cli;

  @Override
  public void run() {
    cli.spec.commandLine().getSubcommands().get("export").usage(cli.out());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "get",
      description = "Write a complete Export's bundle to a file, read from where it was pushed.")
  static final class Get implements Callable<Integer> {
    @ParentCommand ExportCommand export;

    @Parameters(index = "0", paramLabel = Completion.EXPORT, description = "Export name.")
    String name;

    @Option(names = "--out", required = true, description = "File to write (a tar).")
    Path out;

    @Override
    public Integer call() throws IOException {
      StellaCli cli = export.cli;
      Export found =
          cli.client().resources(Export.class).inNamespace(cli.namespace()).withName(name).get();
      if (found == null) {
        throw new CommandLine.ParameterException(
            cli.spec.commandLine(),
            "export " + name + " not found in namespace " + cli.namespace());
      }
      var status = found.getStatus();
      if (status == null || !"Complete".equals(status.getPhase())) {
        throw new IllegalArgumentException(
            "export "
                + name
                + " is not complete"
                + (status == null || status.getMessage() == null
                    ? " yet"
                    : ": " + status.getMessage()));
      }
      String oci =
          status.getLocations().stream()
              .filter(l -> l.startsWith("oci://"))
              .findFirst()
              .orElse(null);
      if (oci == null) {
        throw new IllegalArgumentException(
            "export "
                + name
                + " was written only to "
                + String.join(" and ", status.getLocations())
                + "; fetch it from there (e.g. aws s3 cp) and run export verify on the file");
      }
      byte[] bytes = ArchivedEvidence.fetch(cli, oci);
      if (!io.stellaops.supplychain.digest.Sha256.digest(bytes)
          .equals(status.getBundle().digest())) {
        throw new IllegalArgumentException(
            oci + " is not the bundle the export recorded (" + status.getBundle().digest() + ")");
      }
      Files.write(out, bytes);
      cli.out()
          .printf(
              "wrote export %s (%d bytes, %s) to %s; verify with: kubectl stella export verify %s%n",
              name, bytes.length, status.getBundle().digest(), out, out);
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "verify",
      description =
          "Verify an export bundle offline: the manifest's signatures, every file against the"
              + " manifest and checksums.txt, and every evidence packet's signature. Names the"
              + " first file that does not match.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand ExportCommand export;

    @Parameters(
        index = "0",
        paramLabel = "BUNDLE",
        description =
            "A bundle file, or oci://<registry>/<repository>:<tag> as the Export pushed it.")
    String source;

    @Option(
        names = "--key",
        description =
            "The operator's public key (PEM) the manifest must be signed with (default: the"
                + " bundle's own keyring, which proves the bundle unchanged, not who made it).")
    Path key;

    @Override
    public Integer call() throws IOException {
      StellaCli cli = export.cli;
      List<String> problems = new ArrayList<>();
      Verified verified = verified(ArchivedEvidence.fetch(cli, source), key, problems);
      if (!problems.isEmpty()) {
        cli.err().println("Verification FAILED: " + source);
        problems.forEach(p -> cli.err().println("  " + p));
        return StellaCli.VERIFICATION_FAILED;
      }
      cli.out().println(verified.summary());
      return 0;
    }
  }

  /** A bundle whose every check passed, and the line that says so. */
  record Verified(Bundle bundle, String summary) {}

  /**
   * {@code bytes} as a verified export bundle: its manifest signed by {@code key} (else by a key of
   * its own keyring), every file as the manifest says, every evidence packet's signature. Null,
   * with the reasons in {@code problems}, when any check fails.
   */
  static Verified verified(byte[] bytes, Path key, List<String> problems) throws IOException {
    Bundle bundle;
    try {
      bundle = Bundle.unchecked(bytes);
    } catch (Bundle.Damaged e) {
      problems.add(e.getMessage());
      return null;
    }
    var about = bundle.about();
    if (!API_VERSION.equals(about.path("apiVersion").asText())) {
      problems.add(
          "not an export bundle: its manifest says "
              + (about.path("apiVersion").isMissingNode()
                  ? "nothing of what it is"
                  : about.path("apiVersion").asText()));
      return null;
    }
    EvidenceKeyring keyring;
    try {
      byte[] ring = bundle.files().get(KEYRING);
      keyring =
          ring == null
              ? EvidenceKeyring.empty()
              : EvidenceKeyring.parse(new String(ring, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      keyring = EvidenceKeyring.empty();
    }
    String signer = bundle.signer().orElse("(none)");
    PublicKey manifestKey;
    String keyNote;
    if (key != null) {
      manifestKey = PemKeys.parsePublicKey(Files.readString(key));
      keyNote = "the key given (" + key + ")";
    } else {
      var known = keyring.find(signer);
      if (known.isEmpty()) {
        try {
          bundle.checked(); // a changed keyring is named as such
        } catch (Bundle.Damaged e) {
          problems.add(e.getMessage());
          return null;
        }
        problems.add(
            Bundle.SIGNED_MANIFEST
                + ": signed by key "
                + signer
                + ", which "
                + KEYRING
                + " does not list; pass --key with the operator's public key");
        return null;
      }
      manifestKey = PemKeys.parsePublicKey(known.get().publicKey());
      keyNote = "the bundle's own keyring; pin it with --key";
    }
    problems.addAll(bundle.signatureProblems(manifestKey));
    if (!problems.isEmpty()) {
      return null;
    }
    var revoked = keyring.find(PemKeys.keyId(manifestKey)).filter(EvidenceKeyring.Key::revoked);
    if (revoked.isPresent()) {
      problems.add(
          Bundle.SIGNED_MANIFEST
              + ": signed by key "
              + PemKeys.keyId(manifestKey)
              + ", "
              + revoked.get().window());
      return null;
    }
    try {
      bundle.checked();
    } catch (Bundle.Damaged e) {
      problems.add(e.getMessage());
      return null;
    }
    // the manifest is signed and every file matches it: the keyring in the bundle is the signer's
    TreeSet<String> packetKeys = new TreeSet<>();
    int packets = 0;
    for (Map.Entry<String, byte[]> file : bundle.files().entrySet()) {
      if (!file.getKey().startsWith("evidence/")
          || !file.getKey().endsWith("/" + EvidenceCommand.PACKET)) {
        continue;
      }
      packets++;
      EvidencePacketSpec spec =
          CanonicalJson.MAPPER.readValue(file.getValue(), EvidencePacketSpec.class);
      var packetKey = EvidenceCommand.packetKey(keyring, spec, KEYRING);
      if (packetKey.refusal() != null) {
        problems.add(file.getKey() + ": " + packetKey.refusal());
        continue;
      }
      String packetSigner = packetKey.key().keyId();
      var result =
          EvidenceVerifier.verify(spec, PemKeys.parsePublicKey(packetKey.key().publicKey()));
      if (!result.ok()) {
        problems.add(file.getKey() + ": " + String.join("; ", result.problems()));
      }
      packetKeys.add(packetSigner.substring(0, Math.min(12, packetSigner.length())));
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new Verified(
        bundle,
        "Bundle verified: export %s (%s), %d files match %s and %s, manifest signed by key %s (%s), %d evidence packet(s) verify (keys %s)"
            .formatted(
                (about.has("namespace") ? about.path("namespace").asText() + "/" : "")
                    + about.path("name").asText(),
                about.path("profile").asText(),
                bundle.files().size(),
                Bundle.MANIFEST,
                Bundle.CHECKSUMS,
                PemKeys.keyId(manifestKey),
                keyNote,
                packets,
                packetKeys.isEmpty() ? "none" : String.join(", ", packetKeys)));
  }
}
