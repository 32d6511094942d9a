package io.stellaops.webhooks;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.stellaops.controllers.kubernetes.KubernetesSecrets;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.policy.CachingSecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.webhooks.imagepolicy.AdmissionEvents;
import io.stellaops.webhooks.imagepolicy.ImagePolicy;
import io.stellaops.webhooks.release.ReleaseAdmission;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An admission server on a loopback port, registered with the test API server. */
public final class LoopbackAdmission {
  private LoopbackAdmission() {}

  /** The image policy as the operator wires it: policies from an informer, Secrets cached. */
  static ImagePolicy imagePolicy(KubernetesClient client, TrustEvaluator evaluator) {
    var policies = client.resources(TrustPolicy.class).inform();
    return new ImagePolicy(
        evaluator,
        () -> policies.getStore().list(),
        new CachingSecretSource(
            new KubernetesSecrets(client), Duration.ofSeconds(30), Clock.systemUTC()),
        new RegistryClient(Duration.ofSeconds(5)));
  }

  /** A namespace labelled so that every Pod created in it is checked. */
  static void enforcingNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(
                    io.stellaops.webhooks.imagepolicy.PodAdmission.NAMESPACE_LABEL, "enforce")
                .endMetadata()
                .build())
        .serverSideApply();
  }

  /** A Release of one component given by tag, as CI would create it. */
  static String releaseYaml(String namespace, String name, String image, String tag) {
    return """
    apiVersion: stellaops.io/v1alpha1
    kind: Release
    metadata: {name: %s, namespace: %s}
    spec:
      version: 1.0.0
      components:
        - {name: app, image: %s, tag: "%s"}
    """
        .formatted(name, namespace, image, tag);
  }

  /** Creates {@link #releaseYaml} through the API server (and so through the webhook). */
  static Release createRelease(
      KubernetesClient client, String namespace, String name, String image, String tag) {
    return client
        .getKubernetesSerialization()
        .convertValue(
            client.resource(releaseYaml(namespace, name, image, tag)).create(), Release.class);
  }

  /** A Pod with one container named app running {@code image}. */
  static Pod pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  public static TrustEvaluator evaluator() {
    return TrustEvaluator.cosign(new RegistryClient(Duration.ofSeconds(5)));
  }

  public static ReleaseAdmission releaseAdmission(KubernetesClient client) {
    return releaseAdmission(client, evaluator());
  }

  static ReleaseAdmission releaseAdmission(KubernetesClient client, TrustEvaluator evaluator) {
    return new ReleaseAdmission(
        client.getKubernetesSerialization(),
        Clock.systemUTC(),
        imagePolicy(client, evaluator),
        new AdmissionEvents(client, Clock.systemUTC()));
  }

  /** Serves {@code handlers} and registers the mutating webhooks with the API server. */
  public static AdmissionServer start(
      KubernetesClient client, Map<String, AdmissionRequestHandler> handlers) throws Exception {
    return start(client, handlers, false);
  }

  /** Serves {@code handlers} and registers the mutating or the validating webhooks. */
  static AdmissionServer start(
      KubernetesClient client, Map<String, AdmissionRequestHandler> handlers, boolean validating)
      throws Exception {
    return start(client, handlers, validating, Duration.ofSeconds(8));
  }

  /** As above, answering every review within {@code deadline}. */
  static AdmissionServer start(
      KubernetesClient client,
      Map<String, AdmissionRequestHandler> handlers,
      boolean validating,
      Duration deadline)
      throws Exception {
    var certificates =
        WebhookCertificates.generate(
            List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    var server =
        new AdmissionServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            certificates,
            handlers,
            deadline,
            client.getKubernetesSerialization());
    server.start();
    String url = "https://127.0.0.1:" + server.port();
    client
        .resource(
            validating
                ? WebhookConfigurations.validating(url, certificates.caPem())
                : WebhookConfigurations.mutating(url, certificates.caPem()))
        .serverSideApply();
    return server;
  }
}
