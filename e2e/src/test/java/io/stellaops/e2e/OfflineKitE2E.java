package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.cli.StellaCli;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.operator.LocalOperator;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's own offline kit, built by {@code hack/offline-kit.sh} from the images this build
 * made, crosses a gap: checked by {@code sha256sum -c}, refused with another key, imported into an
 * empty registry, and there the kit's TrustPolicy admits the operator image (its signature and SBOM
 * attestation read from that registry alone) and {@code helm install} with the kit's chart and
 * values pins the Deployment to that registry by digest.
 */
@EnableKubeAPIServer
class OfflineKitE2E {
  static final String NS = "stella-airgap";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  record Run(int exit, String out, String err) {}

  static Run stella(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = StellaCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String exec(Path dir, Map<String, String> env, String... command) throws Exception {
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s:\n%s", String.join(" ", command), output).isZero();
    return output;
  }

  @Test
  void theKitInstallsFromAnAirGappedRegistryAlone() throws Exception {
    Path out = Files.createTempDirectory("stella-kit");
    String built =
        exec(
            Path.of(".."),
            Map.of("STELLA_KIT_BUILT", "1"),
            "bash",
            "hack/offline-kit.sh",
            "--advisories",
            "testdata/osv/golang-vulndb",
            "--out",
            out.toString());
    Path kit;
    try (var kits = Files.list(out)) {
      kit = kits.filter(p -> p.toString().endsWith(".tar")).findFirst().orElseThrow();
    }
    Path publicKey = Path.of(kit + ".pub");
    assertThat(built).contains("signed by key");

    // the other side's own tools check every file
    Path unpacked = Files.createTempDirectory("stella-kit-files");
    exec(unpacked, Map.of(), "tar", "-xf", kit.toString());
    exec(unpacked, Map.of(), "sha256sum", "--quiet", "-c", "checksums.txt");
    assertThat(unpacked.resolve("charts/stella-operator/Chart.yaml")).exists();
    assertThat(unpacked.resolve("crds")).isNotEmptyDirectory();
    assertThat(unpacked.resolve("docs/install-airgap.md")).exists();

    try (var airgap = LocalRegistry.start()) {
      Path stranger = Files.createTempFile("stranger", ".pub");
      Files.writeString(stranger, PemKeys.publicKeyPem(PemKeys.generateP256().getPublic()));
      Run refused =
          stella(
              "mirror",
              "import",
              kit.toString(),
              "--to",
              airgap.host(),
              "--key",
              stranger.toString());
      assertThat(refused.exit()).as(refused.err()).isEqualTo(StellaCli.VERIFICATION_FAILED);
      assertThat(refused.err()).contains("nothing was pushed").contains("manifest.dsse.json");

      Run imported =
          stella(
              "mirror",
              "import",
              kit.toString(),
              "--to",
              airgap.host(),
              "--key",
              publicKey.toString());
      assertThat(imported.exit()).as(imported.err()).isZero();
      assertThat(imported.err())
          .contains("2 image(s) verified against TrustPolicies stella-images")
          .contains("--set image.registry=" + airgap.host());
      assertThat(imported.out())
          .contains("kind: \"TrustPolicy\"")
          .contains(airgap.host() + "/stellaops/stella-*");

      var registry = new RegistryClient(Duration.ofSeconds(30));
      String values = Files.readString(unpacked.resolve("values/stella-operator-airgap.yaml"));
      var digest = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(values);
      assertThat(digest.find()).isTrue();
      String operatorImage = airgap.host() + "/stellaops/stella-operator";
      assertThat(registry.manifest(operatorImage, digest.group(1), Optional.empty()).digest())
          .isEqualTo(digest.group(1));
      assertThat(
              AdvisorySnapshots.fromRegistry(
                      registry,
                      airgap.host() + "/stellaops/stella-advisories:0.1.0-SNAPSHOT",
                      Optional.empty())
                  .advisories())
          .isPositive();

      // the kit's TrustPolicy admits the kit's image from the air-gapped registry
      PromotionTestSupport.installCrdsAndNamespaces(client);
      OwnImagesE2E.enforcing(client, NS);
      client.resourceList(imported.out()).serverSideApply();
      try (var operator =
          LocalOperator.start(
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                  .build(),
              "stella-system",
              Map.of())) {
        Pod pod =
            await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                    () ->
                        client
                            .pods()
                            .inNamespace(NS)
                            .resource(
                                OwnImagesE2E.pod("operator", operatorImage + ":0.1.0-SNAPSHOT"))
                            .create(),
                    p -> p != null);
        assertThat(pod.getSpec().getContainers().getFirst().getImage())
            .isEqualTo(operatorImage + ":0.1.0-SNAPSHOT@" + digest.group(1));
      }

      // the chart from the kit, with the kit's values and this registry
      Helm.run(
          kubeConfigYaml,
          "install",
          "stella-operator",
          unpacked.resolve("charts/stella-operator").toString(),
          "--namespace",
          "stella-system",
          "-f",
          unpacked.resolve("values/stella-operator-airgap.yaml").toString(),
          "--set",
          "image.registry=" + airgap.host());
      List<String> images =
          client
              .apps()
              .deployments()
              .inNamespace("stella-system")
              .withName("stella-operator")
              .get()
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .stream()
              .map(c -> c.getImage())
              .toList();
      assertThat(images).containsExactly(operatorImage + "@" + digest.group(1));
    }
  }
}
