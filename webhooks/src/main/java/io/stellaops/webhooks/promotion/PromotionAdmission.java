package io.stellaops.webhooks.promotion;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionSpec;
import io.stellaops.webhooks.Identities;
import io.stellaops.webhooks.Violations;

/**
 * Mutating admission of Promotions: {@code spec.requestedBy} is the authenticated Kubernetes
 * identity of whoever created the Promotion, never what the client wrote.
 */
public final class PromotionAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/promotions";

  private final KubernetesSerialization serialization;

  public PromotionAdmission(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    if (!"CREATE".equals(request.getOperation())) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    Promotion original = serialization.convertValue(request.getObject(), Promotion.class);
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
    Promotion stamped = serialization.convertValue(request.getObject(), Promotion.class);
    stamped.setSpec(
        new PromotionSpec(
            spec.release(),
            spec.environment(),
            spec.targets(),
            spec.reason(),
            spec.breakGlass(),
            Identities.of(request.getUserInfo())));
    return AdmissionUtils.admissionResponseFromMutation(original, stamped);
  }
}
