package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real cosign CLI (STELLA_COSIGN, built by hack/peers/build-tools.sh) with keys in a directory.
 */
public final class CosignCli {
  private final Path keys;

  public CosignCli(Path keys) {
    this.keys = keys;
  }

  /** Runs {@code args} followed by {@code last} (the image). */
  public String run(String[] args, String last) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(last);
    return run(all.toArray(String[]::new));
  }

  public String run(String... args) throws Exception {
    String binary = System.getenv("STELLA_COSIGN");
    assertThat(binary)
        .as("STELLA_COSIGN must name a cosign binary (hack/test.sh builds one)")
        .isNotBlank();
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(keys.toFile()).redirectErrorStream(true);
    builder.environment().putAll(Map.of("COSIGN_PASSWORD", "", "COSIGN_YES", "true"));
    if (Files.exists(keys.resolve("docker").resolve("config.json"))) {
      builder.environment().put("DOCKER_CONFIG", keys.resolve("docker").toString());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("cosign %s: %s", String.join(" ", args), output).isZero();
    return output;
  }

  /** Logs cosign in to {@code registry} (its own docker config, not the user's). */
  public void login(String registry, String user, String password) throws Exception {
    String auth =
        java.util.Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(keys.resolve("docker"));
    Files.writeString(
        keys.resolve("docker").resolve("config.json"),
        "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + auth + "\"}}}");
  }

  /** Generates {@code <name>.key} / {@code <name>.pub} and returns the public key. */
  public PublicKey generateKeyPair(String name) throws Exception {
    run("generate-key-pair", "--output-key-prefix", name);
    return PemKeys.parsePublicKey(publicKeyPem(name));
  }

  public String publicKeyPem(String name) throws Exception {
    return Files.readString(keys.resolve(name + ".pub"));
  }

  /**
   * Attests {@code predicate} of {@code type} (e.g. cyclonedx) to an image by digest, offline;
   * {@code extra} flags such as {@code --new-bundle-format} go before the image.
   */
  public void attest(String imageAtDigest, String key, String type, Path predicate, String... extra)
      throws Exception {
    run(
        concat(
            extra,
            "attest",
            "--key",
            keys.resolve(key + ".key").toString(),
            "--type",
            type,
            "--predicate",
            predicate.toAbsolutePath().toString(),
            "--tlog-upload=false",
            "--allow-http-registry"),
        imageAtDigest);
  }

  /** {@code cosign verify} with a key pair made by {@link #generateKeyPair}, offline. */
  public void verify(String imageAtDigest, String key, String... extra) throws Exception {
    run(
        concat(
            extra,
            "verify",
            "--key",
            keys.resolve(key + ".pub").toString(),
            "--insecure-ignore-tlog=true",
            "--allow-http-registry"),
        imageAtDigest);
  }

  /**
   * Signs an image by digest keyless, as a CI job would: {@code sigstore}'s CA certifies {@code
   * subject} from {@code issuer}, the signature goes to its transparency log unless {@code tlog} is
   * false.
   */
  public void signKeyless(
      String imageAtDigest,
      LocalSigstore sigstore,
      String issuer,
      String subject,
      boolean tlog,
      String... extra)
      throws Exception {
    run(concat(extra, keyless("sign", sigstore, issuer, subject, tlog)), imageAtDigest);
  }

  /** Attests {@code predicate} of {@code type} keyless, logged in {@code sigstore}'s log. */
  public void attestKeyless(
      String imageAtDigest,
      LocalSigstore sigstore,
      String issuer,
      String subject,
      String type,
      Path predicate,
      String... extra)
      throws Exception {
    run(
        concat(
            extra,
            keyless(
                "attest",
                sigstore,
                issuer,
                subject,
                true,
                "--type",
                type,
                "--predicate",
                predicate.toAbsolutePath().toString())),
        imageAtDigest);
  }

  /**
   * {@code cosign verify} of a keyless signature against {@code trustedRoot}, offline; the output,
   * or the failure as an AssertionError.
   */
  public String verifyKeyless(
      String imageAtDigest, Path trustedRoot, String issuer, String subject, String... extra)
      throws Exception {
    return run(
        concat(
            extra,
            "verify",
            "--trusted-root",
            trustedRoot.toString(),
            "--certificate-oidc-issuer",
            issuer,
            "--certificate-identity",
            subject,
            "--allow-http-registry"),
        imageAtDigest);
  }

  private String[] keyless(
      String command,
      LocalSigstore sigstore,
      String issuer,
      String subject,
      boolean tlog,
      String... rest)
      throws Exception {
    Path token = Files.createTempFile(keys, "id-token", ".jwt");
    Files.writeString(token, sigstore.idToken(issuer, subject));
    Path root = sigstore.writeTrustedRoot(Files.createTempFile(keys, "trusted_root", ".json"));
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--fulcio-url",
                sigstore.url(),
                "--rekor-url",
                sigstore.url(),
                "--identity-token",
                token.toString(),
                "--trusted-root",
                root.toString(),
                "--tlog-upload=" + tlog,
                "--allow-http-registry"));
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  /** Signs an image by digest, offline (no transparency log), over plain HTTP for loopback. */
  public void sign(String imageAtDigest, String key, String... extra) throws Exception {
    run(
        concat(
            extra,
            "sign",
            "--key",
            keys.resolve(key + ".key").toString(),
            "--tlog-upload=false",
            "--allow-http-registry"),
        imageAtDigest);
  }

  /**
   * {@code cosign sign-blob} of {@code blob} with a key pair made here or imported, offline: the
   * base64 signature, as cosign writes it.
   */
  public String signBlob(Path blob, String key) throws Exception {
    Path signature = Files.createTempFile(keys, "blob", ".sig");
    run(
        "sign-blob",
        "--key",
        keys.resolve(key + ".key").toString(),
        "--tlog-upload=false",
        "--output-signature",
        signature.toString(),
        blob.toAbsolutePath().toString());
    return Files.readString(signature).strip();
  }

  /** Imports a PEM private key (openssl's) as {@code <name>.key} / {@code <name>.pub}. */
  public void importKeyPair(Path pem, String name) throws Exception {
    run("import-key-pair", "--key", pem.toAbsolutePath().toString(), "--output-key-prefix", name);
  }

  /** {@code cosign verify-attestation} of {@code type} with a key pair made here, offline. */
  public void verifyAttestation(String imageAtDigest, String key, String type) throws Exception {
    run(
        new String[] {
          "verify-attestation",
          "--key",
          keys.resolve(key + ".pub").toString(),
          "--type",
          type,
          "--insecure-ignore-tlog=true",
          "--allow-http-registry"
        },
        imageAtDigest);
  }

  /** {@code command} (first word, then its flags), then {@code extra} flags, then the last word. */
  private static String[] concat(String[] extra, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }
}
