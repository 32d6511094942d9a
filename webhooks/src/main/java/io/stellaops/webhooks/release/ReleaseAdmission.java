package io.stellaops.webhooks.release;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseAnnotations;
import io.stellaops.webhooks.Violations;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Mutating admission of Releases. Quarantine: setting {@code stellaops.io/quarantine} stamps who
 * did it and when from the authenticated request; once set, a quarantine can be neither removed nor
 * rewritten (a quarantined release is never promotable again: build a new one).
 */
public final class ReleaseAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/releases";

  private final KubernetesSerialization serialization;
  private final Clock clock;

  public ReleaseAdmission(KubernetesSerialization serialization, Clock clock) {
    this.serialization = serialization;
    this.clock = clock;
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    Release original = serialization.convertValue(request.getObject(), Release.class);
    Map<String, String> now = annotations(original);
    Map<String, String> before =
        request.getOldObject() == null
            ? Map.of()
            : annotations(serialization.convertValue(request.getOldObject(), Release.class));
    Violations violations = new Violations();
    String reason = now.get(ReleaseAnnotations.QUARANTINE);
    String previous = before.get(ReleaseAnnotations.QUARANTINE);
    if (previous != null && !previous.equals(reason)) {
      violations.add(
          "metadata.annotations[" + ReleaseAnnotations.QUARANTINE + "]",
          "a quarantined release stays quarantined (\""
              + previous
              + "\"); create a new Release instead");
    }
    for (String stamped :
        new String[] {ReleaseAnnotations.QUARANTINED_BY, ReleaseAnnotations.QUARANTINED_AT}) {
      if (!Objects.equals(now.get(stamped), before.get(stamped))) {
        violations.add(
            "metadata.annotations[" + stamped + "]",
            "is set by Stella Operator when the release is quarantined; do not set it");
      }
    }
    if (!violations.isEmpty()) {
      return violations.deny();
    }
    if (reason == null || previous != null) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    if (reason.isBlank()) {
      violations.add(
          "metadata.annotations[" + ReleaseAnnotations.QUARANTINE + "]",
          "give the reason for the quarantine");
      return violations.deny();
    }
    Release stamped = serialization.convertValue(request.getObject(), Release.class);
    Map<String, String> annotations = new HashMap<>(annotations(stamped));
    annotations.put(ReleaseAnnotations.QUARANTINED_BY, request.getUserInfo().getUsername());
    annotations.put(
        ReleaseAnnotations.QUARANTINED_AT,
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    stamped.getMetadata().setAnnotations(annotations);
    return AdmissionUtils.admissionResponseFromMutation(original, stamped);
  }

  private static Map<String, String> annotations(Release r) {
    return r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
  }
}
