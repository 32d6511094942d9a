package io.stellaops.webhooks;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.webhooks.agent.AgentStatusAdmission;
import io.stellaops.webhooks.approval.ApprovalAdmission;
import io.stellaops.webhooks.evidence.EvidenceAdmission;
import io.stellaops.webhooks.gatepolicy.GatePolicyAdmission;
import io.stellaops.webhooks.imagepolicy.PodAdmission;
import io.stellaops.webhooks.promotion.PromotionAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The webhook configurations that register the admission server with the API server. Fail closed:
 * {@code failurePolicy: Fail} (but for the GatePolicy check, which its controller backs up); the
 * server's own deadline answers before {@code timeoutSeconds}.
 */
public final class WebhookConfigurations {
  public static final String MUTATING = "stella-operator";
  public static final String VALIDATING = "stella-operator";
  public static final int TIMEOUT_SECONDS = 10;

  private WebhookConfigurations() {}

  /** How the API server reaches the admission server. */
  public sealed interface Endpoint {
    WebhookClientConfigBuilder at(String path);
  }

  /** A server outside the cluster, e.g. {@code https://127.0.0.1:8443}. */
  public record Url(String baseUrl) implements Endpoint {
    @Override
    public WebhookClientConfigBuilder at(String path) {
      return new WebhookClientConfigBuilder().withUrl(baseUrl + path);
    }
  }

  /** A Service in front of the operator's pods. */
  public record Service(String namespace, String name, int port) implements Endpoint {
    @Override
    public WebhookClientConfigBuilder at(String path) {
      return new WebhookClientConfigBuilder()
          .withNewService()
          .withNamespace(namespace)
          .withName(name)
          .withPort(port)
          .withPath(path)
          .endService();
    }
  }

  public static MutatingWebhookConfiguration mutating(String baseUrl, String caPem) {
    return mutating(new Url(baseUrl), caPem);
  }

  public static MutatingWebhookConfiguration mutating(Endpoint endpoint, String caPem) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(MUTATING)
        .addToLabels("app.kubernetes.io/part-of", "stella-operator")
        .endMetadata()
        .withWebhooks(
            webhook("promotions", PromotionAdmission.PATH, endpoint, caPem, "CREATE"),
            new MutatingWebhookBuilder(
                    webhook("releases", ReleaseAdmission.PATH, endpoint, caPem, "CREATE", "UPDATE"))
                .withSideEffects("NoneOnDryRun") // warn mode records an Event
                .build(),
            webhook("approvals", ApprovalAdmission.PATH, endpoint, caPem, "CREATE"),
            pods(endpoint, caPem))
        .build();
  }

  /** Pods of namespaces that opted in with {@code stellaops.io/image-policy: enforce}. */
  private static MutatingWebhook pods(Endpoint endpoint, String caPem) {
    return new MutatingWebhookBuilder()
        .withName("pods.image-policy.stellaops.io")
        .withClientConfig(client(endpoint, PodAdmission.PATH, caPem))
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        .withResources("pods")
        .withOperations("CREATE")
        .endRule()
        .withNewNamespaceSelector()
        .addToMatchLabels(PodAdmission.NAMESPACE_LABEL, "enforce")
        .endNamespaceSelector()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("NoneOnDryRun")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .build();
  }

  public static ValidatingWebhookConfiguration validating(String baseUrl, String caPem) {
    return validating(new Url(baseUrl), caPem);
  }

  /**
   * Only an object's own agent may write its status (DeploymentJobs and Targets); only the
   * lifecycle controller deletes evidence (EvidencePackets and decision records); GatePolicy rules
   * must compile.
   */
  public static ValidatingWebhookConfiguration validating(Endpoint endpoint, String caPem) {
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(VALIDATING)
        .addToLabels("app.kubernetes.io/part-of", "stella-operator")
        .endMetadata()
        .addNewWebhook()
        .withName("evidence.stellaops.io")
        .withClientConfig(client(endpoint, EvidenceAdmission.PATH, caPem))
        .addNewRule()
        .withApiGroups("stellaops.io")
        .withApiVersions("v1alpha1")
        .withResources("evidencepackets")
        .withOperations("DELETE", "UPDATE")
        .endRule()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .endWebhook()
        .addNewWebhook()
        .withName("decision-records.stellaops.io")
        .withClientConfig(client(endpoint, EvidenceAdmission.PATH, caPem))
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        .withResources("configmaps")
        .withOperations("DELETE", "UPDATE")
        .endRule()
        .withNewObjectSelector()
        .addToMatchLabels(IlmMetadata.RECORD, IlmMetadata.DECISION_RECORD)
        .endObjectSelector()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .endWebhook()
        .addNewWebhook()
        .withName("gatepolicies.stellaops.io")
        .withClientConfig(client(endpoint, GatePolicyAdmission.PATH, caPem))
        .addNewRule()
        .withApiGroups("stellaops.io")
        .withApiVersions("v1alpha1")
        .withResources("gatepolicies")
        .withOperations("CREATE", "UPDATE")
        .endRule()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        // a convenience, not a guard: the controller stalls what slips past, so GitOps can apply
        // policies while the operator is down
        .withFailurePolicy("Ignore")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .endWebhook()
        .addNewWebhook()
        .withName("agent-status.stellaops.io")
        .withClientConfig(client(endpoint, AgentStatusAdmission.PATH, caPem))
        .addNewRule()
        .withApiGroups("stellaops.io")
        .withApiVersions("v1alpha1")
        .withResources("deploymentjobs/status", "targets/status")
        .withOperations("UPDATE")
        .endRule()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .endWebhook()
        .build();
  }

  private static MutatingWebhook webhook(
      String resource, String path, Endpoint endpoint, String caPem, String... operations) {
    return new MutatingWebhookBuilder()
        .withName(resource + ".stellaops.io")
        .withClientConfig(client(endpoint, path, caPem))
        .addNewRule()
        .withApiGroups("stellaops.io")
        .withApiVersions("v1alpha1")
        .withResources(resource)
        .withOperations(operations)
        .endRule()
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .build();
  }

  private static WebhookClientConfig client(Endpoint endpoint, String path, String caPem) {
    return endpoint
        .at(path)
        .withCaBundle(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
        .build();
  }
}
