package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm CLI (STELLA_HELM, built by hack/peers/build-tools.sh helm) against a cluster. */
final class Helm {
  private Helm() {}

  /** Runs helm with {@code args} against the cluster of {@code kubeConfigYaml}; its output. */
  static String run(String kubeConfigYaml, String... args) throws Exception {
    String binary = System.getenv("STELLA_HELM");
    assertThat(binary)
        .as("STELLA_HELM must name a helm binary (hack/test.sh builds one)")
        .isNotBlank();
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, kubeConfigYaml);
    List<String> command = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("helm %s:\n%s", String.join(" ", args), output).isZero();
    return output;
  }
}
