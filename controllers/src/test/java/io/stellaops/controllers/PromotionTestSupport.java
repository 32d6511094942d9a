package io.stellaops.controllers;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.gatepolicy.GatePolicyReconciler;
import io.stellaops.controllers.promotion.PromotionReconciler;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Shared steps of promotion scenarios on a test API server. */
public final class PromotionTestSupport {
  public static final String SYSTEM = "stella-system";

  private PromotionTestSupport() {}

  public static void installCrdsAndNamespaces(KubernetesClient client, String... namespaces)
      throws Exception {
    for (String crd :
        List.of(
            "gatepolicies",
            "promotions",
            "releases",
            "environments",
            "targets",
            "approvals",
            "deploymentjobs",
            "evidencepackets",
            "trustpolicies",
            "agents",
            "advisoryfeeds",
            "ilmclasses",
            "exports")) {
      KubeApiServerSupport.installCrd(client, crd);
    }
    for (String ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM).endMetadata().build())
        .serverSideApply();
  }

  public static Operator startOperator(KubernetesClient client) {
    return startOperator(client, Clock.systemUTC());
  }

  /** An operator whose controllers read time from {@code clock}. */
  public static Operator startOperator(KubernetesClient client, Clock clock) {
    return startOperator(client, clock, op -> {});
  }

  /** An operator with the usual controllers and whatever {@code more} registers. */
  public static Operator startOperator(
      KubernetesClient client, Clock clock, java.util.function.Consumer<Operator> more) {
    var op = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    more.accept(op);
    op.register(new GatePolicyReconciler(clock));
    op.register(new io.stellaops.controllers.trustpolicy.TrustPolicyReconciler(clock));
    op.register(new io.stellaops.controllers.environment.EnvironmentReconciler(clock));
    var registry = new io.stellaops.supplychain.oci.RegistryClient(Duration.ofSeconds(5));
    var feeds = new io.stellaops.controllers.advisoryfeed.AdvisoryFeeds();
    op.register(
        new io.stellaops.controllers.advisoryfeed.AdvisoryFeedReconciler(clock, feeds, registry));
    op.register(
        new io.stellaops.controllers.release.ReleaseReconciler(
            clock,
            io.stellaops.supplychain.policy.TrustEvaluator.cosign(registry),
            feeds,
            new io.stellaops.supplychain.sbom.Sboms(registry),
            new io.stellaops.supplychain.provenance.SlsaProvenance.Reader(registry),
            new io.stellaops.controllers.kubernetes.KubernetesSecrets(client)));
    op.register(
        new PromotionReconciler(
            clock, () -> EvidenceSigningKey.loadOrCreate(client, SYSTEM), feeds));
    op.register(new io.stellaops.controllers.agent.AgentReconciler(clock));
    op.register(new io.stellaops.controllers.target.TargetReconciler(clock));
    op.start();
    return op;
  }

  /**
   * An operator with the usual controllers, exports and the evidence lifecycle, looking at each
   * IlmClass every second, both reading time from {@code clock}.
   */
  public static Operator startOperatorWithLifecycle(KubernetesClient client, Clock clock) {
    return startOperator(
        client,
        clock,
        op -> {
          var registry = new io.stellaops.supplychain.oci.RegistryClient(Duration.ofSeconds(2));
          op.register(
              new io.stellaops.controllers.ilmclass.IlmClassReconciler(
                  clock,
                  new io.stellaops.controllers.ilmclass.IlmInventory(client),
                  registry,
                  () -> EvidenceSigningKey.loadOrCreate(client, SYSTEM),
                  new io.stellaops.controllers.ilmclass.IlmClassReconciler.Settings(
                      Duration.ofSeconds(1), 100, 50, SYSTEM)));
          op.register(
              new io.stellaops.controllers.export.ExportReconciler(
                  clock,
                  registry,
                  () -> EvidenceSigningKey.loadOrCreate(client, SYSTEM),
                  new io.stellaops.controllers.export.ExportReconciler.Settings(
                      SYSTEM,
                      "test",
                      Duration.ofSeconds(1),
                      io.stellaops.controllers.export.ExportReconciler.Settings.MAX_BUNDLE_BYTES,
                      Duration.ofSeconds(1))));
        });
  }

  /** The in-toto Statement of an evidence packet, verified with the operator's public key. */
  public static com.fasterxml.jackson.databind.JsonNode verifiedStatement(
      KubernetesClient client, String namespace, String packetName) {
    var packet =
        client
            .resources(io.stellaops.crds.evidencepacket.EvidencePacket.class)
            .inNamespace(namespace)
            .withName(packetName)
            .get();
    String publicPem =
        client
            .configMaps()
            .inNamespace(SYSTEM)
            .withName(EvidenceSigningKey.CONFIG_MAP)
            .get()
            .getData()
            .get("cosign.pub");
    var result =
        io.stellaops.decision.evidence.EvidenceVerifier.verify(
            packet.getSpec(), io.stellaops.supplychain.keys.PemKeys.parsePublicKey(publicPem));
    org.assertj.core.api.Assertions.assertThat(result.problems()).isEmpty();
    return result.statement();
  }

  /** A Secret holding a Sigstore trusted_root.json under its default key, as users mirror it. */
  public static void trustRootSecret(
      KubernetesClient client, String namespace, String name, String trustedRootJson) {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToStringData("trusted_root.json", trustedRootJson)
                .build())
        .serverSideApply();
  }

  public static void apply(KubernetesClient client, String namespace, String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(o -> client.resource(o).inNamespace(namespace).forceConflicts().serverSideApply());
  }

  /** Waits for a promotion (which may not exist yet) to reach a phase; says where it is if not. */
  /** Asks for {@code release} to go to {@code environment}, as a developer would. */
  public static void promote(
      KubernetesClient client, String namespace, String name, String release, String environment) {
    apply(
        client,
        namespace,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s}
        spec: {release: %s, environment: %s, reason: test}
        """
            .formatted(name, release, environment));
  }

  /** The first component of {@code release}'s status once {@code ready} holds for it. */
  public static io.stellaops.crds.release.ComponentStatus awaitComponent(
      KubernetesClient client,
      String namespace,
      String release,
      java.util.function.Predicate<io.stellaops.crds.release.ComponentStatus> ready) {
    var resource =
        client
            .resources(io.stellaops.crds.release.Release.class)
            .inNamespace(namespace)
            .withName(release);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          var r = resource.get();
          return r != null
              && r.getStatus() != null
              && r.getStatus().getComponents() != null
              && ready.test(r.getStatus().getComponents().get(0));
        });
    return resource.get().getStatus().getComponents().get(0);
  }

  /** The key id the EvidencePacket {@code name} is signed with (its first DSSE signature's). */
  public static String signerOf(KubernetesClient client, String namespace, String name) {
    return client
        .resources(io.stellaops.crds.evidencepacket.EvidencePacket.class)
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getSpec()
        .envelope()
        .signatures()
        .getFirst()
        .keyid();
  }

  public static Promotion awaitPhase(
      KubernetesClient client, String namespace, String name, Phase phase) {
    var resource = client.resources(Promotion.class).inNamespace(namespace).withName(name);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> {
            Promotion p = resource.get();
            return p != null && p.getStatus() != null && p.getStatus().getPhase() == phase;
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Promotion p = resource.get();
      throw new AssertionError(
          "promotion "
              + name
              + " did not reach "
              + phase
              + "; it is: "
              + (p == null ? "absent" : client.getKubernetesSerialization().asJson(p.getStatus())),
          e);
    }
    return resource.get();
  }

  public static List<DeploymentJob> jobsOf(
      KubernetesClient client, String namespace, String promotion) {
    return client
        .resources(DeploymentJob.class)
        .inNamespace(namespace)
        .withLabel("stellaops.io/promotion", promotion)
        .list()
        .getItems();
  }

  /**
   * What an agent does when it finished a job successfully, reporting one artifact: {@code
   * sticker.json} with the sha256 of the job's name.
   */
  public static void completeJobs(KubernetesClient client, String namespace, String promotion) {
    reportJobs(
        client,
        namespace,
        promotion,
        (job, status) -> {
          status.setPhase(DeploymentJobStatus.JobPhase.SUCCEEDED);
          status.setObserved(job.getSpec().components());
          status.setArtifacts(
              List.of(
                  new io.stellaops.crds.common.ArtifactRef(
                      "sticker.json",
                      io.stellaops.supplychain.digest.Sha256.digest(
                          job.getMetadata().getName().getBytes(StandardCharsets.UTF_8)),
                      "application/json",
                      null)));
        });
  }

  /** Reports every job of {@code promotion} as failed, as an agent would. */
  public static void failJobs(
      KubernetesClient client, String namespace, String promotion, String message) {
    reportJobs(
        client,
        namespace,
        promotion,
        (job, status) -> {
          status.setPhase(DeploymentJobStatus.JobPhase.FAILED);
          status.setMessage(message);
        });
  }

  private static void reportJobs(
      KubernetesClient client,
      String namespace,
      String promotion,
      java.util.function.BiConsumer<DeploymentJob, DeploymentJobStatus> report) {
    for (DeploymentJob job : jobsOf(client, namespace, promotion)) {
      client
          .resources(DeploymentJob.class)
          .inNamespace(namespace)
          .withName(job.getMetadata().getName())
          .editStatus(j -> {
            var status = new DeploymentJobStatus();
            report.accept(j, status);
            j.setStatus(status);
            return j;
          });
    }
  }
}
