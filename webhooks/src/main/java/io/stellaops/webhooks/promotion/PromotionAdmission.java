package io.stellaops.webhooks.promotion;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.environment.BreakGlassPolicy;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.BreakGlass;
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
    boolean named =
        spec.release().matches(ApiPatterns.NAME) && spec.environment().matches(ApiPatterns.NAME);
    Environment environment =
        named
            ? client
                .resources(Environment.class)
                .inNamespace(request.getNamespace())
                .withName(spec.environment())
                .get()
            : null;
    if (environment != null && spec.breakGlass() != null) {
      breakGlassAllowed(environment, spec.breakGlass(), violations);
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
    if (named) { // names that are not names the schema refuses, naming the field
      response.setWarnings(missing(request.getNamespace(), spec, environment != null));
    }
    return response;
  }

  /** A break-glass type the environment does not allow would only be denied later. */
  private void breakGlassAllowed(
      Environment environment, BreakGlass breakGlass, Violations violations) {
    BreakGlassPolicy policy = environment.getSpec().breakGlass();
    String type = serialization.convertValue(breakGlass.type(), String.class); // API spelling
    if (policy == null) {
      violations.add(
          "spec.breakGlass.type",
          "Environment "
              + environment.getMetadata().getName()
              + " allows no break-glass (its spec.breakGlass is not set); promote without it");
    } else if (!policy.allowedTypes().contains(breakGlass.type())) {
      violations.add(
          "spec.breakGlass.type",
          "Environment "
              + environment.getMetadata().getName()
              + " does not allow break-glass "
              + type
              + "; it allows "
              + serialization.convertValue(policy.allowedTypes(), List.class));
    }
  }

  private List<String> missing(String namespace, PromotionSpec spec, boolean environmentExists) {
    List<String> warnings = new ArrayList<>();
    if (client.resources(Release.class).inNamespace(namespace).withName(spec.release()).get()
        == null) {
      warnings.add(
          "Release "
              + spec.release()
              + " does not exist in namespace "
              + namespace
              + "; the promotion waits, Stalled, until it does");
    }
    if (!environmentExists) {
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
