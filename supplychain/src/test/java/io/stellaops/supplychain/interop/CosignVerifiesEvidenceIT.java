package io.stellaops.supplychain.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent verifier accepts our evidence envelopes: sigstore's cosign CLI
 * (verify-blob-attestation, offline with the public key) checks the DSSE signature and that the
 * Statement's subject digest matches the blob.
 */
class CosignVerifiesEvidenceIT {
  private static final String PREDICATE_TYPE = "https://stellaops.io/attestations/promotion/v1";

  @TempDir Path dir;
  private final KeyPair key = PemKeys.generateP256();
  private Path blob;

  @BeforeEach
  void writeBlobAndKey() throws Exception {
    blob = Files.writeString(dir.resolve("release.txt"), "shop 1.4.2\n");
    Files.writeString(dir.resolve("cosign.pub"), PemKeys.publicKeyPem(key.getPublic()));
  }

  private Envelope signStatementAbout(byte[] subjectBytes) {
    var subject = new Statement.Subject("release.txt", Map.of("sha256", Sha256.hex(subjectBytes)));
    var statement =
        Statement.of(
            List.of(subject), PREDICATE_TYPE, Map.of("decision", "allow", "environment", "dev"));
    return Dsse.sign(
        Statement.PAYLOAD_TYPE,
        CanonicalJson.bytes(statement),
        key.getPrivate(),
        PemKeys.keyId(key.getPublic()));
  }

  private CosignResult cosignVerify(Envelope envelope) throws Exception {
    Path signature = dir.resolve("evidence.dsse.json");
    Files.write(signature, CanonicalJson.MAPPER.writeValueAsBytes(envelope));
    List<String> command = new ArrayList<>();
    command.add(cosign());
    command.addAll(
        List.of(
            "verify-blob-attestation",
            "--key",
            dir.resolve("cosign.pub").toString(),
            "--signature",
            signature.toString(),
            "--type",
            PREDICATE_TYPE,
            "--insecure-ignore-tlog",
            blob.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CosignResult(process.exitValue(), output);
  }

  record CosignResult(int exitCode, String output) {}

  private CosignResult run(Path in, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CosignResult(process.exitValue(), output);
  }

  @Test
  void aSignedBundleChecksWithTarSha256sumAndCosignVerifyBlob() throws Exception {
    byte[] tar =
        io.stellaops.supplychain.archive.Bundle.of(
                Map.of(
                    "evidence/p1/packet.json",
                        "{\"decision\":\"allow\"}".getBytes(StandardCharsets.UTF_8),
                    "keys/keyring.json", "{}".getBytes(StandardCharsets.UTF_8)),
                CanonicalJson.MAPPER.readTree("{\"profile\":\"evidence\"}"))
            .signedBytes(key.getPrivate(), PemKeys.keyId(key.getPublic()));
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    Files.write(dir.resolve("bundle.tar"), tar);
    assertThat(run(bundle, "tar", "-xf", dir.resolve("bundle.tar").toString()).exitCode()).isZero();
    var sums = run(bundle, "sha256sum", "-c", "checksums.txt");
    assertThat(sums.exitCode()).as(sums.output()).isZero();
    assertThat(sums.output()).contains("evidence/p1/packet.json: OK", "keys/keyring.json: OK");
    String[] verifyBlob = {
      cosign(),
      "verify-blob",
      "--key",
      dir.resolve("cosign.pub").toString(),
      "--signature",
      "manifest.json.sig",
      "--insecure-ignore-tlog",
      "manifest.json"
    };
    var verified = run(bundle, verifyBlob);
    assertThat(verified.exitCode()).as(verified.output()).isZero();
    assertThat(verified.output()).contains("Verified OK");
    Files.writeString(
        bundle.resolve("manifest.json"),
        Files.readString(bundle.resolve("manifest.json")).replace("evidence", "evidencf"));
    assertThat(run(bundle, verifyBlob).exitCode()).isNotZero();
  }

  private static String cosign() {
    String path = System.getenv("STELLA_COSIGN");
    assertThat(path)
        .as(
            "STELLA_COSIGN must name a cosign binary (hack/test.sh builds one with hack/peers/build-tools.sh cosign)")
        .isNotBlank();
    return path;
  }

  @Test
  void cosignAcceptsOurEnvelope() throws Exception {
    var result = cosignVerify(signStatementAbout(Files.readAllBytes(blob)));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Verified OK");
  }

  @Test
  void cosignRejectsATamperedStatement() throws Exception {
    Envelope signed = signStatementAbout(Files.readAllBytes(blob));
    String forged =
        new String(signed.payloadBytes(), StandardCharsets.UTF_8).replace("\"allow\"", "\"deny\"");
    Envelope tampered =
        new Envelope(
            signed.payloadType(),
            Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)),
            signed.signatures());
    var result = cosignVerify(tampered);
    assertThat(result.exitCode()).as(result.output()).isNotZero();
  }

  @Test
  void cosignRejectsAStatementAboutAnotherArtifact() throws Exception {
    var result = cosignVerify(signStatementAbout("shop 1.4.3\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(result.exitCode()).as(result.output()).isNotZero();
  }
}
