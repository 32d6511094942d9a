package io.stellaops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "evidence",
    description =
        "Get, verify, replay and export evidence packets. verify and replay work offline on an"
            + " exported directory or an ILM archive.",
    subcommands = {
      EvidenceCommand.Get.class,
      EvidenceCommand.Verify.class,
      EvidenceCommand.Replay.class,
      EvidenceCommand.Export.class
    })
final class EvidenceCommand implements Runnable {
  static final String PACKET = "packet.json";
  static final String ENVELOPE = "envelope.dsse.json";
  static final String STATEMENT = "statement.json";
  static final String PUBLIC_KEY = "cosign.pub";

  @ParentCommand StellaCli cli;

  @Override
  public void run() {
    cli.spec.commandLine().getSubcommands().get("evidence").usage(cli.out());
  }

  /** Where a packet comes from: the cluster, or a directory written by export. */
  static final class Source {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = Completion.EVIDENCE_PACKET,
        description = "EvidencePacket name (same as its promotion).")
    String name;

    @Option(
        names = "--dir",
        description = "An exported evidence directory (offline; no cluster needed).")
    Path dir;

    @Option(
        names = "--archive",
        description =
            "An EvidencePacket's ILM archive: a .tar file (offline), or"
                + " oci://<registry>/<repository>:<tag> as the lifecycle pushed it.")
    String archive;
  }

  /** Shared by verify and replay: reads the packet and the key, verifies, reports. */
  abstract static class Verifying implements Callable<Integer> {
    @ParentCommand EvidenceCommand evidence;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--key",
        description =
            "Public key PEM (default: cosign.pub of --dir, or the operator's published key).")
    Path key;

    @Option(
        names = "--operator-namespace",
        defaultValue = "stella-system",
        description = "Where the operator publishes its public key (default: ${DEFAULT-VALUE}).")
    String operatorNamespace;

    EvidenceVerifier.Result verified() throws IOException {
      StellaCli cli = evidence.cli;
      EvidencePacketSpec spec;
      String publicPem = null;
      EvidenceKeyring keyring = null;
      if (source.dir != null) {
        spec =
            CanonicalJson.MAPPER.readValue(
                Files.readAllBytes(source.dir.resolve(PACKET)), EvidencePacketSpec.class);
        Path exported = source.dir.resolve(EvidenceKeyring.DATA_KEY);
        if (key == null && Files.exists(exported)) {
          keyring = EvidenceKeyring.parse(Files.readString(exported)); // as it was at export
        } else {
          publicPem = Files.readString(key != null ? key : source.dir.resolve(PUBLIC_KEY));
        }
      } else if (source.archive != null) {
        Map<String, byte[]> files = ArchivedEvidence.read(cli, source.archive);
        spec =
            CanonicalJson.MAPPER.readValue(
                files.get(ArchivedEvidence.DIR + PACKET), EvidencePacketSpec.class);
        publicPem =
            key != null
                ? Files.readString(key)
                : new String(files.get(ArchivedEvidence.DIR + PUBLIC_KEY), StandardCharsets.UTF_8);
      } else {
        spec = fetch(cli, source.name).getSpec();
        if (key != null) {
          publicPem = Files.readString(key);
        } else {
          keyring = KeysCommand.keyring(cli, operatorNamespace);
        }
      }
      String keyNote = "";
      if (keyring != null) {
        // the key that signed it, from the keyring: retired keys verify what they signed
        PacketKey packetKey = packetKey(keyring, spec, "the keyring");
        if (packetKey.refusal() != null) {
          cli.err().println("Verification FAILED:");
          cli.err().println("  key: " + packetKey.refusal());
          return new EvidenceVerifier.Result(null, List.of("key: " + packetKey.refusal()));
        }
        publicPem = packetKey.key().publicKey();
        if (packetKey.key().retiredAt() != null) {
          keyNote = " (retired key, " + packetKey.key().window() + ")";
        }
      }
      PublicKey publicKey = PemKeys.parsePublicKey(publicPem);
      var result = EvidenceVerifier.verify(spec, publicKey);
      if (result.ok()) {
        cli.out()
            .printf(
                "Verified OK: promotion %s (%s -> %s), decision %s, inputs %s, signed by key %s%s%n",
                spec.promotion(),
                spec.release(),
                spec.environment(),
                spec.decision(),
                spec.inputsHash(),
                PemKeys.keyId(publicKey),
                keyNote);
      } else {
        cli.err().println("Verification FAILED:");
        result.problems().forEach(p -> cli.err().println("  " + p));
      }
      return result;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "verify",
      description = "Verify a packet's signature and that it says what was signed.")
  static final class Verify extends Verifying {
    @Override
    public Integer call() throws IOException {
      return verified().ok() ? 0 : StellaCli.VERIFICATION_FAILED;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "replay",
      description =
          "Verify, then recompute the decision from the recorded inputs and compare byte for byte.")
  static final class Replay extends Verifying {
    @Override
    public Integer call() throws IOException {
      var result = verified();
      if (!result.ok()) {
        return StellaCli.VERIFICATION_FAILED;
      }
      var replay = EvidenceVerifier.replay(result.statement());
      if (replay.identical()) {
        evidence
            .cli
            .out()
            .println(
                "Replay identical: the recorded inputs yield the recorded decision, byte for byte.");
        return 0;
      }
      evidence.cli.err().println("Replay DIFFERS:");
      evidence.cli.err().println("  recorded:   " + replay.recorded());
      evidence.cli.err().println("  recomputed: " + replay.recomputed());
      return StellaCli.VERIFICATION_FAILED;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "get",
      description = "Print a packet's signed Statement (decoded, not verified).")
  static final class Get implements Callable<Integer> {
    @ParentCommand EvidenceCommand evidence;

    @Parameters(
        index = "0",
        paramLabel = Completion.EVIDENCE_PACKET,
        description = "EvidencePacket name.")
    String name;

    @Override
    public Integer call() throws IOException {
      var packet = fetch(evidence.cli, name);
      evidence
          .cli
          .out()
          .println(
              pretty(
                  CanonicalJson.MAPPER.readTree(
                      Base64.getDecoder().decode(packet.getSpec().envelope().payload()))));
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "export",
      description =
          "Write a packet, its Statement and the public key to a directory auditors verify without the cluster.")
  static final class Export implements Callable<Integer> {
    @ParentCommand EvidenceCommand evidence;

    @Parameters(
        index = "0",
        paramLabel = Completion.EVIDENCE_PACKET,
        description = "EvidencePacket name.")
    String name;

    @Option(names = "--out", required = true, description = "Directory to write.")
    Path out;

    @Option(
        names = "--operator-namespace",
        defaultValue = "stella-system",
        description = "Where the operator publishes its public key (default: ${DEFAULT-VALUE}).")
    String operatorNamespace;

    @Override
    public Integer call() throws IOException {
      StellaCli cli = evidence.cli;
      EvidencePacket packet = fetch(cli, name);
      Files.createDirectories(out);
      var spec = packet.getSpec();
      Files.writeString(out.resolve(PACKET), pretty(CanonicalJson.MAPPER.valueToTree(spec)));
      Files.writeString(
          out.resolve(ENVELOPE), pretty(CanonicalJson.MAPPER.valueToTree(spec.envelope())));
      Files.writeString(
          out.resolve(STATEMENT),
          pretty(
              CanonicalJson.MAPPER.readTree(
                  Base64.getDecoder().decode(spec.envelope().payload()))));
      EvidenceKeyring keyring = KeysCommand.keyring(cli, operatorNamespace);
      Files.writeString(out.resolve(PUBLIC_KEY), signingKey(keyring, spec));
      Files.writeString(out.resolve(EvidenceKeyring.DATA_KEY), keyring.toJson());
      Files.writeString(out.resolve("README.md"), readme(spec));
      cli.out()
          .println(
              "exported "
                  + name
                  + " to "
                  + out
                  + "; verify with: kubectl stella evidence verify --dir "
                  + out);
      return 0;
    }

    private static String readme(EvidencePacketSpec spec) {
      return """
      # Evidence: promotion %s

      Release %s into %s, decision **%s**, inputs hash `%s`.

      | file | what |
      |---|---|
      | `%s` | the EvidencePacket as stored in the cluster |
      | `%s` | the DSSE envelope (in-toto Statement v1, signed) |
      | `%s` | the decoded Statement: recorded inputs, decision, jobs, timestamps |
      | `%s` | the public key (ECDSA P-256) that signed it |
      | `keyring.json` | every evidence key of the operator when this was exported: retired and revoked ones with their windows; `verify --dir` uses it, `--key` overrides it |

      Verify without the cluster:

          kubectl stella evidence verify --dir .
          kubectl stella evidence replay --dir .

      Any DSSE verifier works too; the signature covers PAE("application/vnd.in-toto+json", payload).
      """
          .formatted(
              spec.promotion(),
              spec.release(),
              spec.environment(),
              spec.decision(),
              spec.inputsHash(),
              PACKET,
              ENVELOPE,
              STATEMENT,
              PUBLIC_KEY);
    }
  }

  static EvidencePacket fetch(StellaCli cli, String name) {
    EvidencePacket packet =
        cli.client()
            .resources(EvidencePacket.class)
            .inNamespace(cli.namespace())
            .withName(name)
            .get();
    if (packet == null) {
      throw new CommandLine.ParameterException(
          cli.spec.commandLine(),
          "evidence packet " + name + " not found in namespace " + cli.namespace());
    }
    return packet;
  }

  /** The key id of the packet's (first) signature. */
  static String signer(EvidencePacketSpec spec) {
    var envelope = spec.envelope();
    return envelope == null || envelope.signatures() == null || envelope.signatures().isEmpty()
        ? "(none)"
        : envelope.signatures().getFirst().keyid();
  }

  /** The keyring's key that may verify a packet, or why none may: exactly one is set. */
  record PacketKey(EvidenceKeyring.Key key, String refusal) {}

  /**
   * The key that signed {@code spec}, from {@code keyring} (named {@code keyringName} in the
   * refusal): retired keys verify what they signed, revoked and unlisted ones nothing.
   */
  static PacketKey packetKey(EvidenceKeyring keyring, EvidencePacketSpec spec, String keyringName) {
    String signer = signer(spec);
    var known = keyring.find(signer);
    if (known.isEmpty()) {
      return new PacketKey(
          null, "signed by key " + signer + ", which " + keyringName + " does not list");
    }
    if (known.get().revoked()) {
      return new PacketKey(null, "signed by key " + signer + ", " + known.get().window());
    }
    return new PacketKey(known.get(), null);
  }

  /**
   * The public key that signed {@code spec}, from the keyring (the active one if it is unknown).
   */
  static String signingKey(EvidenceKeyring keyring, EvidencePacketSpec spec) {
    return keyring
        .find(signer(spec))
        .or(keyring::active)
        .map(EvidenceKeyring.Key::publicKey)
        .orElseThrow();
  }

  static String pretty(JsonNode node) throws IOException {
    return CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
  }
}
