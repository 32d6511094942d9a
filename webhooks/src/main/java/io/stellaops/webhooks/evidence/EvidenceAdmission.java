package io.stellaops.webhooks.evidence;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.webhooks.AdmissionServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validating admission of DELETE and UPDATE of evidence: EvidencePackets and decision records
 * (ConfigMaps labelled {@code stellaops.io/record: decision}). Only the lifecycle controller (the
 * operator's own identity) deletes evidence, once its IlmClass lets it go and, when the class
 * archives, after a verified archive; anyone else is refused with the class, expiry and pin. The
 * one other way out is the namespace going away: then the delete is let through, the ILM finalizer
 * holds the object, and the lifecycle controller archives it before releasing it. Updates that
 * would undo the lifecycle's hold (its finalizer, class label, expiry or pin annotations) are
 * refused too (the content cannot change: packet specs are immutable by schema, decision records
 * are immutable ConfigMaps). RBAC cannot say any of this: it grants delete on every object of a
 * kind.
 */
public final class EvidenceAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/validate/evidence";

  private static final List<String> LIFECYCLE_ANNOTATIONS =
      List.of(IlmMetadata.EXPIRES_AT, IlmMetadata.PINNED);

  private final KubernetesClient client;
  private final Set<String> controllers;

  /**
   * @param controllers usernames that may delete evidence: the operator's own
   */
  public EvidenceAdmission(KubernetesClient client, Set<String> controllers) {
    this.client = client;
    this.controllers = Set.copyOf(controllers);
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    String user = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
    if (user != null && controllers.contains(user)) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    var serialization = client.getKubernetesSerialization();
    var old = serialization.convertValue(request.getOldObject(), GenericKubernetesResource.class);
    String kind = request.getKind().getKind();
    if (old == null || !isEvidence(kind, old)) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    String what =
        ("ConfigMap".equals(kind) ? "decision record (ConfigMap)" : kind)
            + " "
            + request.getNamespace()
            + "/"
            + request.getName();
    return switch (request.getOperation()) {
      case "DELETE" -> delete(old, what, user);
      case "UPDATE" ->
          update(
              old,
              serialization.convertValue(request.getObject(), GenericKubernetesResource.class),
              what,
              user);
      default -> AdmissionUtils.allowedAdmissionResponse();
    };
  }

  private AdmissionResponse delete(GenericKubernetesResource old, String what, String user) {
    if (old.getMetadata().getDeletionTimestamp() != null) {
      return AdmissionUtils.allowedAdmissionResponse(); // asked before; the finalizer holds it
    }
    if (namespaceTerminating(old.getMetadata().getNamespace())) {
      // the finalizer keeps it until the lifecycle controller has archived it
      return AdmissionUtils.allowedAdmissionResponse();
    }
    return AdmissionServer.deny(
        403,
        what
            + " is evidence and only Stella Operator's lifecycle controller deletes it ("
            + user
            + " asked): "
            + kept(old.getMetadata())
            + ". To keep evidence for less time, change the IlmClass's retention");
  }

  private AdmissionResponse update(
      GenericKubernetesResource old, GenericKubernetesResource updated, String what, String user) {
    ObjectMeta before = old.getMetadata();
    ObjectMeta after = updated.getMetadata();
    List<String> changed = new ArrayList<>();
    if (has(before.getFinalizers(), IlmMetadata.FINALIZER)
        && !has(after.getFinalizers(), IlmMetadata.FINALIZER)) {
      changed.add("removes finalizer " + IlmMetadata.FINALIZER);
    }
    for (String label : List.of(IlmMetadata.CLASS, IlmMetadata.RECORD)) {
      if (!Objects.equals(value(before.getLabels(), label), value(after.getLabels(), label))) {
        changed.add("changes label " + label);
      }
    }
    for (String annotation : LIFECYCLE_ANNOTATIONS) {
      if (!Objects.equals(
          value(before.getAnnotations(), annotation), value(after.getAnnotations(), annotation))) {
        changed.add("changes annotation " + annotation);
      }
    }
    if (changed.isEmpty()) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    return AdmissionServer.deny(
        403,
        "the update of "
            + what
            + " by "
            + user
            + " "
            + String.join(", ", changed)
            + ": these are written by Stella Operator's lifecycle controller only ("
            + kept(before)
            + ")");
  }

  /** {@code kept by IlmClass default until …; pinned: release shop-1 runs in prod}. */
  private static String kept(ObjectMeta metadata) {
    String cls = value(metadata.getLabels(), IlmMetadata.CLASS);
    String expires = value(metadata.getAnnotations(), IlmMetadata.EXPIRES_AT);
    String pinned = value(metadata.getAnnotations(), IlmMetadata.PINNED);
    StringBuilder kept = new StringBuilder();
    if (cls == null) {
      kept.append("its IlmClass has not stamped it yet");
    } else {
      kept.append("kept by IlmClass ").append(cls);
      kept.append(expires == null ? "" : " until " + expires);
    }
    if (pinned != null) {
      kept.append(", and for as long as it is pinned: ").append(pinned);
    }
    return kept.toString();
  }

  private boolean namespaceTerminating(String name) {
    Namespace ns = client.namespaces().withName(name).get();
    return ns != null
        && (ns.getMetadata().getDeletionTimestamp() != null
            || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())));
  }

  private static boolean isEvidence(String kind, GenericKubernetesResource object) {
    return "EvidencePacket".equals(kind)
        || ("ConfigMap".equals(kind)
            && IlmMetadata.DECISION_RECORD.equals(
                value(object.getMetadata().getLabels(), IlmMetadata.RECORD)));
  }

  private static boolean has(List<String> values, String value) {
    return values != null && values.contains(value);
  }

  private static String value(Map<String, String> map, String key) {
    return map == null ? null : map.get(key);
  }
}
