package io.stellaops.webhooks.approval;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.approval.ApprovalSpec;
import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseComponent;
import io.stellaops.supplychain.digest.DigestSet;
import io.stellaops.webhooks.AdmittedObjects;
import io.stellaops.webhooks.Identities;
import io.stellaops.webhooks.Violations;
import java.util.List;
import java.util.Objects;

/**
 * Mutating admission of Approvals: stamps {@code spec.approver} from the authenticated request and
 * {@code spec.subject} from the promotion's release digests and environment, so an approval can
 * neither be forged nor reused for other digests. Refuses what could never count: an approval of a
 * promotion that does not exist or has ended, and a self-approval the environment does not allow.
 */
public final class ApprovalAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/approvals";

  private final KubernetesClient client;

  public ApprovalAdmission(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    if (!"CREATE".equals(request.getOperation())) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    var serialization = client.getKubernetesSerialization();
    Approval original = AdmittedObjects.read(serialization, request.getObject(), Approval.class);
    ApprovalSpec spec = original.getSpec();
    String namespace = request.getNamespace();
    Violations violations = new Violations();
    if (spec.approver() != null) {
      violations.add(
          "spec.approver",
          "is set by Stella Operator from your authenticated Kubernetes identity; remove it from the request");
    }
    if (spec.subject() != null) {
      violations.add(
          "spec.subject",
          "is set by Stella Operator from the promotion's release digests; remove it from the request");
    }
    ApprovalSubject subject = null;
    boolean named = spec.promotion().matches(ApiPatterns.NAME);
    Promotion promotion =
        named
            ? client
                .resources(Promotion.class)
                .inNamespace(namespace)
                .withName(spec.promotion())
                .get()
            : null;
    if (!named) {
      violations.add("spec.promotion", spec.promotion() + " is not an object name");
    } else if (promotion == null) {
      violations.add(
          "spec.promotion",
          "Promotion " + spec.promotion() + " does not exist in namespace " + namespace);
    } else if (promotion.getStatus() != null && Phase.ended(promotion.getStatus().getPhase())) {
      violations.add(
          "spec.promotion",
          "Promotion "
              + spec.promotion()
              + " has ended ("
              + promotion.getStatus().getPhase()
              + "); an approval can no longer count");
    } else if (selfApprovalRefused(promotion, request, namespace) != null) {
      violations.add("spec.promotion", selfApprovalRefused(promotion, request, namespace));
    } else {
      Release release =
          client
              .resources(Release.class)
              .inNamespace(namespace)
              .withName(promotion.getSpec().release())
              .get();
      if (release == null) {
        violations.add(
            "spec.promotion",
            "the promotion's Release " + promotion.getSpec().release() + " does not exist");
      } else {
        List<String> digests =
            release.getSpec().components().stream().map(ReleaseComponent::digest).toList();
        if (digests.stream().anyMatch(Objects::isNull)) {
          violations.add(
              "spec.promotion",
              "Release "
                  + release.getMetadata().getName()
                  + " has components without a digest; it cannot be approved");
        } else {
          subject =
              new ApprovalSubject(
                  release.getMetadata().getName(),
                  promotion.getSpec().environment(),
                  DigestSet.hash(digests));
        }
      }
    }
    if (!violations.isEmpty()) {
      return violations.deny();
    }
    Approval stamped = serialization.clone(original);
    stamped.setSpec(
        new ApprovalSpec(
            spec.promotion(),
            spec.decision(),
            spec.comment(),
            Identities.of(request.getUserInfo()),
            subject));
    return AdmissionUtils.admissionResponseFromMutation(original, stamped);
  }

  /**
   * Why the requester may not approve their own promotion, or null: self-approval counts only where
   * the environment's approval policy, or its break-glass one, allows it.
   */
  private String selfApprovalRefused(
      Promotion promotion, AdmissionRequest request, String namespace) {
    var requester = promotion.getSpec().requestedBy();
    String user = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
    if (requester == null || user == null || !user.equals(requester.username())) {
      return null;
    }
    Environment env =
        client
            .resources(Environment.class)
            .inNamespace(namespace)
            .withName(promotion.getSpec().environment())
            .get();
    if (env == null) {
      return null; // the promotion is stalled on its missing environment; counting says the rest
    }
    var approvals = env.getSpec().approvals();
    var breakGlass = env.getSpec().breakGlass();
    boolean allowed =
        (approvals != null && Boolean.TRUE.equals(approvals.allowSelfApproval()))
            || (breakGlass != null
                && breakGlass.approvals() != null
                && Boolean.TRUE.equals(breakGlass.approvals().allowSelfApproval()));
    return allowed
        ? null
        : user
            + " requested promotion "
            + promotion.getMetadata().getName()
            + " and Environment "
            + env.getMetadata().getName()
            + " does not allow self-approval (spec.approvals.allowSelfApproval); ask another"
            + " approver";
  }
}
