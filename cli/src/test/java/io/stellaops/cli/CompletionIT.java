package io.stellaops.cli;

import static io.stellaops.controllers.PromotionTestSupport.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.PromotionTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell completion through the real kubectl: {@code kubectl __complete stella …} (what bash, zsh
 * and fish call) finds {@code kubectl_complete-stella} on PATH, as shipped in the plugin's
 * directory, and offers subcommands, options and the names of objects in the cluster.
 */
@EnableKubeAPIServer
class CompletionIT {
  static final String NS = "shop";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  @TempDir static Path bin;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {upstream: {environments: [stage]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: shop-9}
        spec:
          version: 9.0.0
          components:
            - {name: api, image: registry.example.com/shop/api, digest: sha256:%s}
        """
            .formatted("a".repeat(64)));
    // the plugin as installed: both scripts and the jar in one directory on PATH
    for (String script : List.of("kubectl-stella", "kubectl_complete-stella")) {
      Path copy = bin.resolve(script);
      Files.copy(Path.of("src/main/dist", script), copy, StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().setExecutable(true);
    }
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      Path jar =
          jars.filter(p -> p.getFileName().toString().endsWith("-all.jar"))
              .findFirst()
              .orElseThrow();
      Files.copy(jar, bin.resolve("stella-cli-all.jar"), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(bin.resolve("kubeconfig"), kubeConfigYaml);
  }

  /** What kubectl answers for {@code kubectl stella <words>}, the last word being typed. */
  static List<String> complete(String... words) throws IOException, InterruptedException {
    return complete(Map.of(), words);
  }

  /** As above, with {@code env} in the environment of kubectl and the plugin. */
  static List<String> complete(Map<String, String> env, String... words)
      throws IOException, InterruptedException {
    Path kubectl =
        Path.of(
            System.getenv("KUBE_API_TEST_DIR"),
            "k8s",
            System.getenv("KUBE_API_TEST_API_SERVER_VERSION") + "-linux-amd64",
            "kubectl");
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "__complete", "stella"));
    command.addAll(List.of(words));
    var builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("PATH", bin + ":/usr/bin:/bin");
    builder.environment().put("KUBECONFIG", bin.resolve("kubeconfig").toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("BASH_COMP_DEBUG_FILE", bin.resolve("completion.log").toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().toList();
  }

  @Test
  void subcommandsAndOptionsComplete() throws Exception {
    assertThat(complete("pro"))
        .containsExactly("promote\tRequest the promotion of a release into an environment.", ":4");
    assertThat(complete("promote", "shop-9", "--break-glass", ""))
        .containsExactly("Rollback", "SecurityFix", ":4");
    assertThat(complete("evidence", "verify", "--dir", "")).containsExactly(":0"); // files
  }

  /** What completion said about itself, for the message of a failed assertion. */
  static String debugLog() throws IOException {
    Path log = bin.resolve("completion.log");
    return Files.exists(log) ? Files.readString(log) : "(nothing)";
  }

  @Test
  void namesComeFromTheCluster() throws Exception {
    assertThat(complete("-n", NS, "promote", ""))
        .as("completion's debug log: %s", debugLog())
        .containsExactly("shop-9\t9.0.0", ":4");
    assertThat(complete("-n", NS, "promote", "shop-9", "--to", ""))
        .containsExactlyInAnyOrder("prod", "stage", ":4");
    assertThat(complete("-n", "empty", "promote", "")).containsExactly(":4");
  }

  @Test
  void whyNoNamesCameIsWrittenWhereCobraWritesIt() throws Exception {
    Path log = bin.resolve("completion-debug.log");
    Path nowhere = bin.resolve("nowhere.kubeconfig");
    Files.writeString(
        nowhere,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        contexts: [{name: c, context: {cluster: c, user: u, namespace: shop}}]
        current-context: c
        users: [{name: u, user: {token: t}}]
        """);

    assertThat(
            complete(
                Map.of("KUBECONFIG", nowhere.toString(), "BASH_COMP_DEBUG_FILE", log.toString()),
                "promote",
                ""))
        .containsExactly(":4"); // still silent on the terminal

    assertThat(Files.readString(log)) // kubectl writes its own lines there too
        .contains(
            "kubectl stella __complete: cannot list releases in namespace shop: error: cannot"
                + " reach the Kubernetes API server");
  }
}
