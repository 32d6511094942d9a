package io.stellaops.webhooks.imagepolicy;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events for what admission let through with a warning (TrustPolicy mode warn). */
public final class AdmissionEvents {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionEvents.class);
  public static final String REASON = "TrustPolicyWarning";

  private final KubernetesClient client;
  private final Clock clock;

  public AdmissionEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Adds {@code warnings} to {@code response} (kubectl shows them) and records them as one Warning
   * Event on the object, unless the request is a dry run.
   */
  public void warnings(
      AdmissionRequest request,
      AdmissionResponse response,
      List<String> warnings,
      String apiVersion,
      String kind,
      ObjectMeta object) {
    if (warnings.isEmpty()) {
      return;
    }
    response.setWarnings(warnings);
    if (!Boolean.TRUE.equals(request.getDryRun())) {
      warn(
          apiVersion,
          kind,
          request.getNamespace(),
          Objects.requireNonNullElse(object.getName(), object.getGenerateName()),
          String.join("; ", warnings));
    }
  }

  /** A Warning Event on the admitted object; never fails the admission. */
  public void warn(String apiVersion, String kind, String namespace, String name, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName((name == null ? kind.toLowerCase() : name) + ".")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(apiVersion)
                          .withKind(kind)
                          .withNamespace(namespace)
                          .withName(name)
                          .build())
                  .withType("Warning")
                  .withReason(REASON)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("stella-operator-webhook")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record a {} Event for {} {}/{}: {}",
          REASON,
          kind,
          namespace,
          name,
          e.getMessage());
    }
  }
}
