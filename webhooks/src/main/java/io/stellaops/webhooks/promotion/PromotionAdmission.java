package io.stellaops.webhooks.promotion;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionSpec;
import io.stellaops.crds.release.Release;
import io.stellaops.webhooks.AdmittedObjects;
import io.stellaops.webhooks.Identities;
import io.stellaops.webhooks.Violations;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutating admission of Promotions: {@code spec.requestedBy} is the authenticated Kubernetes
 * identity of whoever created the Promotion, never what the client wrote. A Release or Environment
 * that does not exist yet is a warning, not a denial: GitOps may apply it next; the promotion is
 * Stalled meanwhile and holds no other promotion up.
 */
public final class PromotionAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/promotions";

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;

  public PromotionAdmission(KubernetesClient client) {
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    if (!"CREATE".equals(request.getOperation())) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    Promotion original = AdmittedObjects.read(serialization, request.getObject(), Promotion.class);
    PromotionSpec spec = original.getSpec();
    Violations violations = new Violations();
    if (spec.requestedBy() != null) {
      violations.add(
          "spec.requestedBy",
          "is set by Stella Operator from your authenticated Kubernetes identity; remove it from the request");
    }
    if (!violations.isEmpty()) {
      return violations.deny();
    }
    Promotion stamped = serialization.clone(original);
    stamped.setSpec(
        new PromotionSpec(
            spec.release(),
            spec.environment(),
            spec.targets(),
            spec.reason(),
            spec.breakGlass(),
            Identities.of(request.getUserInfo())));
    AdmissionResponse response = AdmissionUtils.admissionResponseFromMutation(original, stamped);
    response.setWarnings(missing(request.getNamespace(), spec));
    return response;
  }

  private List<String> missing(String namespace, PromotionSpec spec) {
    List<String> warnings = new ArrayList<>();
    if (!spec.release().matches(ApiPatterns.NAME)
        || !spec.environment().matches(ApiPatterns.NAME)) {
      return null; // not names at all: the schema refuses them, naming the field
    }
    if (client.resources(Release.class).inNamespace(namespace).withName(spec.release()).get()
        == null) {
      warnings.add(
          "Release "
              + spec.release()
              + " does not exist in namespace "
              + namespace
              + "; the promotion waits, Stalled, until it does");
    }
    if (client
            .resources(Environment.class)
            .inNamespace(namespace)
            .withName(spec.environment())
            .get()
        == null) {
      warnings.add(
          "Environment "
              + spec.environment()
              + " does not exist in namespace "
              + namespace
              + "; the promotion waits, Stalled, until it does");
    }
    return warnings.isEmpty() ? null : warnings;
  }
}
