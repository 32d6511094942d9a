package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.agents.LocalDocker;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.operator.LocalOperator;
import io.stellaops.supplychain.cosign.CosignCli;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.webhooks.imagepolicy.PodAdmission;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our own images pass our own admission policy: the operator and agent images jib built are pushed
 * to a registry, signed with cosign and attested with their CycloneDX SBOMs, and a namespace that
 * enforces a TrustPolicy requiring both admits them as Pods, pinned by digest, and refuses an image
 * whose SBOM attestation is missing.
 */
@EnableKubeAPIServer
class OwnImagesE2E {
  static final String NS = "stella-run";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;
  static LocalOperator stella;
  static LocalRegistry registry;
  static DockerEngine docker;
  static CosignCli cosign;
  static String operatorImage;
  static String agentImage;

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client);
    KubeApiServerSupport.installCrd(client, "agents");
    enforcing(client, NS);
    registry = LocalRegistry.start();
    docker = LocalDocker.engine();
    operatorImage = push("operator", registry.host() + "/stella/operator");
    agentImage = push("agents", registry.host() + "/stella/agent");
    cosign = new CosignCli(Files.createTempDirectory("stella-release-keys"));
    cosign.generateKeyPair("release");
    String operatorDigest = digest(operatorImage);
    cosign.sign(operatorImage + "@" + operatorDigest, "release");
    cosign.attest(
        operatorImage + "@" + operatorDigest,
        "release",
        "cyclonedx",
        Path.of("..", "operator", "target", "image-sbom.cdx.json"));
    cosign.sign(agentImage + "@" + digest(agentImage), "release"); // signed, SBOM not attested

    stella =
        LocalOperator.start(
            new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build(),
            "stella-system",
            Map.of());
    client
        .resource(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: TrustPolicy
            metadata: {name: stella-images}
            spec:
              images: ["%s/stella/**"]
              authorities:
                - name: release
                  key:
                    publicKey: |
                      %s
              attestations:
                - name: sbom
                  predicateType: https://cyclonedx.org/bom
                  condition: "predicate.specVersion == '1.6' && size(predicate.components) > 20"
            """
                .formatted(
                    registry.host(),
                    cosign.publicKeyPem("release").strip().replace("\n", "\n              ")))
        .serverSideApply();
  }

  @AfterAll
  static void tearDown() {
    if (stella != null) {
      stella.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** Creates {@code namespace} with Pod admission enforcing TrustPolicies. */
  static void enforcing(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels(PodAdmission.NAMESPACE_LABEL, "enforce")
                .endMetadata()
                .build())
        .serverSideApply();
  }

  /** Loads the module's jib tarball into dockerd and pushes it to {@code repository:0.1.0}. */
  static String push(String module, String repository) throws Exception {
    try (InputStream tar = Files.newInputStream(Path.of("..", module, "target", "image.tar"))) {
      docker.client().loadImageCmd(tar).exec();
    }
    String id = Files.readString(Path.of("..", module, "target", "jib-image.id")).strip();
    docker.client().tagImageCmd(id, repository, "0.1.0").exec();
    docker
        .client()
        .pushImageCmd(repository)
        .withTag("0.1.0")
        .exec(new ResultCallback.Adapter<PushResponseItem>())
        .awaitCompletion();
    return repository;
  }

  static String digest(String repository) {
    return new RegistryClient(Duration.ofSeconds(5))
        .manifest(repository, "0.1.0", Optional.empty())
        .digest();
  }

  static Pod pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void ourSignedAndAttestedImagesAreAdmittedAndAnImageWithoutItsSbomIsNot() throws Exception {
    Pod operator =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () ->
                    client
                        .pods()
                        .inNamespace(NS)
                        .resource(pod("operator", operatorImage + ":0.1.0"))
                        .create(),
                p -> p != null);
    assertThat(operator.getSpec().getContainers().getFirst().getImage())
        .isEqualTo(operatorImage + ":0.1.0@" + digest(operatorImage));

    assertThatThrownBy(() ->
            client.pods().inNamespace(NS).resource(pod("agent", agentImage + ":0.1.0")).create())
        .hasMessageContaining("attestation sbom (https://cyclonedx.org/bom)")
        .hasMessageContaining("no attestation found");

    cosign.attest(
        agentImage + "@" + digest(agentImage),
        "release",
        "cyclonedx",
        Path.of("..", "agents", "target", "image-sbom.cdx.json"));
    Pod agent =
        client.pods().inNamespace(NS).resource(pod("agent", agentImage + ":0.1.0")).create();
    assertThat(agent.getSpec().getContainers().getFirst().getImage()).contains("@sha256:");
  }
}
