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

  public String run(String... args) throws Exception {
    String binary = System.getenv("STELLA_COSIGN");
    assertThat(binary)
        .as("STELLA_COSIGN must name a cosign binary (hack/test.sh builds one)")
        .isNotBlank();
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(keys.toFile()).redirectErrorStream(true);
    builder.environment().putAll(Map.of("COSIGN_PASSWORD", "", "COSIGN_YES", "true"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("cosign %s: %s", String.join(" ", args), output).isZero();
    return output;
  }

  /** Generates {@code <name>.key} / {@code <name>.pub} and returns the public key. */
  public PublicKey generateKeyPair(String name) throws Exception {
    run("generate-key-pair", "--output-key-prefix", name);
    return PemKeys.parsePublicKey(publicKeyPem(name));
  }

  public String publicKeyPem(String name) throws Exception {
    return Files.readString(keys.resolve(name + ".pub"));
  }

  /** Signs an image by digest, offline (no transparency log), over plain HTTP for loopback. */
  public void sign(String imageAtDigest, String key) throws Exception {
    run(
        "sign",
        "--key",
        keys.resolve(key + ".key").toString(),
        "--tlog-upload=false",
        "--allow-http-registry",
        imageAtDigest);
  }
}
