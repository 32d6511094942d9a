package io.stellaops.controllers.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.crds.common.Conditions;
import io.stellaops.supplychain.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Records Kubernetes Events (core/v1) about Stella objects, as {@code kubectl describe} shows them.
 */
public final class KubernetesEvents {
  public static final String COMPONENT = "stella-operator";

  private KubernetesEvents() {}

  /**
   * Records an event once: its name derives from object, reason and message, so a reconcile that
   * repeats after a restart does not duplicate it.
   */
  public static void record(
      KubernetesClient client,
      HasMetadata about,
      String type,
      String reason,
      String message,
      Instant now) {
    var meta = about.getMetadata();
    // events about cluster-scoped objects (IlmClass, TrustPolicy) live in "default"
    String namespace = meta.getNamespace() != null ? meta.getNamespace() : "default";
    String key = meta.getUid() + "/" + reason + "/" + message;
    String name =
        meta.getName() + "." + Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    String time = Conditions.timestamp(now);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    CreateOnce.createIfAbsent(client, event);
  }
}
