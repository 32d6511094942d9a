package io.stellaops.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs on a real kube-apiserver: examples apply, and every validation rule rejects
 * its invalid fixture with the message a user would see.
 */
@EnableKubeAPIServer
class CrdValidationIT {
  static KubernetesClient client;

  @KubeConfig static String kubeConfigYaml;

  static Path kubeconfig;

  @BeforeAll
  static void installCrds() throws IOException {
    kubeconfig = Path.of("target/kube-api-test/kubeconfig.yaml");
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, kubeConfigYaml);
    System.out.println("kubectl --kubeconfig " + kubeconfig.toAbsolutePath() + " ...");
    for (String yaml : GeneratedFiles.read(GeneratedFiles.COMMITTED_CRDS, ".yml").values()) {
      KubeApiServerSupport.install(client, (CustomResourceDefinition) client.resource(yaml).item());
    }
  }

  static Stream<Path> examples() throws IOException {
    try (var files = Files.list(Path.of("../docs/examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleAppliesCleanly(Path example) throws IOException {
    for (HasMetadata object : load(Files.readString(example))) {
      var applied = client.resource(object).forceConflicts().serverSideApply();
      assertThat(applied.getMetadata().getUid()).isNotBlank();
    }
  }

  static Stream<Path> invalidFixtures() throws IOException {
    try (var files = Files.list(Path.of("src/test/resources/invalid"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  /**
   * A fixture is a YAML stream whose first line is {@code # rejects: <message>}. Every document but
   * the last is applied first (a document naming an existing object updates it); the last must be
   * rejected with a message containing the expected text.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void apiServerRejectsInvalidFixture(Path fixture) throws IOException {
    String text = Files.readString(fixture);
    String firstLine = text.lines().findFirst().orElse("");
    assertThat(firstLine).as("first line of %s", fixture).startsWith("# rejects: ");
    String expected = firstLine.substring("# rejects: ".length()).trim();

    String namespace = fixture.getFileName().toString().replace(".yaml", "");
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();

    List<HasMetadata> objects = load(text);
    List<HasMetadata> prerequisites = objects.subList(0, objects.size() - 1);
    for (HasMetadata object : prerequisites) {
      apply(object, namespace);
    }
    HasMetadata invalid = objects.get(objects.size() - 1);
    boolean isUpdate =
        prerequisites.stream()
            .anyMatch(o ->
                o.getKind().equals(invalid.getKind())
                    && o.getMetadata().getName().equals(invalid.getMetadata().getName()));
    // A new object is created as kubectl create does; server-side apply would first fail its own
    // merge check on duplicate list entries and hide the CEL message under test.
    assertThatThrownBy(
            () -> {
              if (isUpdate) {
                apply(invalid, namespace);
              } else {
                create(invalid, namespace);
              }
            })
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> {
          var status = ((KubernetesClientException) e).getStatus();
          assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422);
          assertThat(status.getMessage()).contains(expected);
        });
  }

  private static HasMetadata apply(HasMetadata object, String namespace) {
    return isNamespaced(object)
        ? client.resource(object).inNamespace(namespace).forceConflicts().serverSideApply()
        : client.resource(object).forceConflicts().serverSideApply();
  }

  private static HasMetadata create(HasMetadata object, String namespace) {
    return isNamespaced(object)
        ? client.resource(object).inNamespace(namespace).create()
        : client.resource(object).create();
  }

  private static boolean isNamespaced(HasMetadata object) {
    return !List.of("TrustPolicy", "AdvisoryFeed", "IlmClass", "Namespace")
        .contains(object.getKind());
  }

  private static List<HasMetadata> load(String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  @Test
  void kubectlExplainServesOurDescriptions() throws Exception {
    Path kubectl =
        Path.of(
            System.getenv("KUBE_API_TEST_DIR"),
            "k8s",
            System.getenv("KUBE_API_TEST_API_SERVER_VERSION") + "-linux-amd64",
            "kubectl");
    Process process =
        new ProcessBuilder(
                kubectl.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "explain",
                "release.spec.components")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("The images that make up the release")
        .contains("Image repository without tag or digest");
  }
}
