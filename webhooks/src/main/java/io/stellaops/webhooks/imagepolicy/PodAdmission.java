package io.stellaops.webhooks.imagepolicy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.webhooks.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pod admission in namespaces labelled {@code stellaops.io/image-policy: enforce}: every container
 * image is pinned to the digest its tag names now and must satisfy the TrustPolicies covering it,
 * with the same verdicts (and cache) as Releases. An image no TrustPolicy covers is denied there:
 * the label promises that nothing unverified runs in the namespace.
 */
public final class PodAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/pods";
  public static final String NAMESPACE_LABEL = "stellaops.io/image-policy";

  private final KubernetesSerialization serialization;
  private final ImagePolicy imagePolicy;
  private final AdmissionEvents events;

  public PodAdmission(
      KubernetesSerialization serialization, ImagePolicy imagePolicy, AdmissionEvents events) {
    this.serialization = serialization;
    this.imagePolicy = imagePolicy;
    this.events = events;
  }

  /** {@code repo[:tag][@digest]} split as a container runtime reads it. */
  record ImageName(String repository, String tag, String digest) {
    static ImageName parse(String image) {
      String digest = null;
      int at = image.indexOf('@');
      if (at >= 0) {
        digest = image.substring(at + 1);
        image = image.substring(0, at);
      }
      String tag = null;
      int colon = image.lastIndexOf(':');
      if (colon > image.lastIndexOf('/')) {
        tag = image.substring(colon + 1);
        image = image.substring(0, colon);
      }
      return new ImageName(image, tag, digest);
    }

    /**
     * Null when the name can be checked, else why not (a container runtime would refuse it too).
     */
    String problem() {
      try {
        ImageReference.parse(repository);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
      if (digest != null && !Sha256.isDigest(digest)) {
        return "digest "
            + digest
            + " is not sha256: and 64 lower-case hex digits"
            + (Sha256.isDigest(digest.toLowerCase(java.util.Locale.ROOT))
                ? " (the OCI image spec allows lower case only: write it so)"
                : "");
      }
      return null;
    }

    String pinned(String resolved) {
      return repository + (tag == null ? "" : ":" + tag) + "@" + resolved;
    }
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    if (!"CREATE".equals(request.getOperation())) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    Pod original = serialization.convertValue(request.getObject(), Pod.class);
    Pod pinned = serialization.convertValue(request.getObject(), Pod.class);
    String namespace = request.getNamespace();
    List<String> pullSecrets =
        pinned.getSpec().getImagePullSecrets() == null
            ? List.of()
            : pinned.getSpec().getImagePullSecrets().stream()
                .map(LocalObjectReference::getName)
                .toList();
    Violations violations = new Violations();
    List<ImagePolicy.Image> images = new ArrayList<>();
    for (var entry : containers(pinned).entrySet()) {
      String where = entry.getKey() + ".image";
      Container c = entry.getValue();
      ImageName name = ImageName.parse(c.getImage());
      String problem = name.problem();
      if (problem != null) {
        violations.add(where, problem);
        continue;
      }
      String digest = name.digest();
      if (digest == null) {
        try {
          digest =
              imagePolicy.resolve(
                  namespace,
                  pullSecrets,
                  name.repository(),
                  Objects.requireNonNullElse(name.tag(), "latest"));
        } catch (ImagePolicy.Unresolvable e) {
          violations.add(where, e.getMessage());
          continue;
        }
      }
      c.setImage(name.pinned(digest));
      images.add(new ImagePolicy.Image(where, name.repository(), digest));
    }
    List<String> warnings =
        violations.isEmpty()
            ? imagePolicy.admit(
                namespace,
                pullSecrets,
                images,
                violations,
                ", and namespace " + namespace + " is labelled " + NAMESPACE_LABEL + "=enforce")
            : List.of();
    if (!violations.isEmpty()) {
      return violations.deny();
    }
    AdmissionResponse response = AdmissionUtils.admissionResponseFromMutation(original, pinned);
    events.warnings(request, response, warnings, "v1", "Pod", pinned.getMetadata());
    return response;
  }

  /** Init containers and containers by field path, e.g. {@code spec.containers[0]}. */
  private static Map<String, Container> containers(Pod pod) {
    Map<String, Container> byPath = new LinkedHashMap<>();
    List<Container> init = pod.getSpec().getInitContainers();
    for (int i = 0; init != null && i < init.size(); i++) {
      byPath.put("spec.initContainers[" + i + "]", init.get(i));
    }
    List<Container> main = pod.getSpec().getContainers();
    for (int i = 0; main != null && i < main.size(); i++) {
      byPath.put("spec.containers[" + i + "]", main.get(i));
    }
    return byPath;
  }
}
