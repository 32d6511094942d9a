package io.stellaops.webhooks.release;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseAnnotations;
import io.stellaops.crds.release.ReleaseComponent;
import io.stellaops.crds.release.ReleaseSpec;
import io.stellaops.supplychain.time.Deadline;
import io.stellaops.webhooks.AdmittedObjects;
import io.stellaops.webhooks.Violations;
import io.stellaops.webhooks.imagepolicy.AdmissionEvents;
import io.stellaops.webhooks.imagepolicy.ImagePolicy;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mutating admission of Releases, all checks of a request answered at once:
 *
 * <ul>
 *   <li>On creation every component given only by tag is resolved to the digest its registry serves
 *       now (in parallel), so the stored Release names digests; the tag stays for humans. An
 *       unknown tag or an unreachable registry denies, quoting the registry.
 *   <li>Quarantine: setting {@code stellaops.io/quarantine} stamps who did it and when from the
 *       authenticated request; once set, a quarantine can be neither removed nor rewritten, and its
 *       stamps cannot be written by clients.
 *   <li>On creation every component digest is checked against the TrustPolicies covering its image
 *       (offline, verdicts shared with the Release controller): an enforce-mode policy that is not
 *       satisfied denies, naming image, policy, authority and the failed check; a warn-mode one
 *       admits with an admission warning and a Warning Event.
 * </ul>
 */
public final class ReleaseAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/mutate/releases";

  private final KubernetesSerialization serialization;
  private final Clock clock;
  private final ImagePolicy imagePolicy;
  private final AdmissionEvents events;

  public ReleaseAdmission(
      KubernetesSerialization serialization,
      Clock clock,
      ImagePolicy imagePolicy,
      AdmissionEvents events) {
    this.serialization = serialization;
    this.clock = clock;
    this.imagePolicy = imagePolicy;
    this.events = events;
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    Release original = AdmittedObjects.read(serialization, request.getObject(), Release.class);
    Release stamped = serialization.clone(original);
    Release old =
        request.getOldObject() == null
            ? null
            : serialization.convertValue(request.getOldObject(), Release.class);
    Violations violations = new Violations();
    quarantine(stamped, old, request.getUserInfo().getUsername(), violations);
    List<String> warnings = List.of();
    if ("CREATE".equals(request.getOperation())) {
      resolveTags(stamped, violations);
      if (violations.isEmpty()) {
        warnings = verifySignatures(stamped, violations);
      }
    }
    if (!violations.isEmpty()) {
      return violations.deny();
    }
    AdmissionResponse response =
        serialization.asJson(original).equals(serialization.asJson(stamped))
            ? AdmissionUtils.allowedAdmissionResponse()
            : AdmissionUtils.admissionResponseFromMutation(original, stamped);
    events.warnings(
        request, response, warnings, "stellaops.io/v1alpha1", "Release", stamped.getMetadata());
    return response;
  }

  /** Denies components enforce-mode policies reject; returns the warnings of warn-mode ones. */
  private List<String> verifySignatures(Release release, Violations violations) {
    List<ReleaseComponent> components = release.getSpec().components();
    List<ImagePolicy.Image> images = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      ReleaseComponent c = components.get(i);
      images.add(new ImagePolicy.Image("spec.components[" + i + "]", c.image(), c.digest()));
    }
    return imagePolicy.admit(
        release.getMetadata().getNamespace(), List.of(), images, violations, null);
  }

  /** Pins every component given only by tag to its digest. */
  private void resolveTags(Release release, Violations violations) {
    List<ReleaseComponent> components = release.getSpec().components();
    List<CompletableFuture<String>> digests = new ArrayList<>();
    try (ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ReleaseComponent c : components) {
        digests.add(
            c.digest() != null || c.tag() == null
                ? CompletableFuture.completedFuture(c.digest())
                : CompletableFuture.supplyAsync(
                    () ->
                        imagePolicy.resolve(
                            release.getMetadata().getNamespace(), List.of(), c.image(), c.tag()),
                    lookups));
      }
    }
    List<ReleaseComponent> pinned = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      ReleaseComponent c = components.get(i);
      try {
        pinned.add(
            new ReleaseComponent(c.name(), c.image(), c.tag(), digests.get(i).join(), c.sbom()));
      } catch (CompletionException e) {
        if (e.getCause() instanceof Deadline.Exceeded exceeded) {
          throw exceeded; // out of time is the server's answer, naming what it waited for
        }
        violations.add(
            "spec.components[" + i + "]",
            e.getCause() instanceof ImagePolicy.Unresolvable u
                ? u.getMessage()
                : "cannot resolve " + c.image() + ":" + c.tag() + " to a digest: " + e.getCause());
      }
    }
    var spec = release.getSpec();
    release.setSpec(
        new ReleaseSpec(spec.version(), pinned, spec.source(), spec.notes(), spec.ilmClass()));
  }

  private void quarantine(Release release, Release old, String user, Violations violations) {
    Map<String, String> now = annotations(release);
    Map<String, String> before = old == null ? Map.of() : annotations(old);
    String reason = now.get(ReleaseAnnotations.QUARANTINE);
    String previous = before.get(ReleaseAnnotations.QUARANTINE);
    if (previous != null && !previous.equals(reason)) {
      violations.add(
          "metadata.annotations[" + ReleaseAnnotations.QUARANTINE + "]",
          "a quarantined release stays quarantined (\""
              + previous
              + "\"); create a new Release instead");
    }
    for (String stamp :
        List.of(ReleaseAnnotations.QUARANTINED_BY, ReleaseAnnotations.QUARANTINED_AT)) {
      if (!Objects.equals(now.get(stamp), before.get(stamp))) {
        violations.add(
            "metadata.annotations[" + stamp + "]",
            "is set by Stella Operator when the release is quarantined; do not set it");
      }
    }
    if (reason == null || previous != null) {
      return;
    }
    if (reason.isBlank()) {
      violations.add(
          "metadata.annotations[" + ReleaseAnnotations.QUARANTINE + "]",
          "give the reason for the quarantine");
      return;
    }
    Map<String, String> stamped = new HashMap<>(now);
    stamped.put(ReleaseAnnotations.QUARANTINED_BY, user);
    stamped.put(
        ReleaseAnnotations.QUARANTINED_AT,
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    release.getMetadata().setAnnotations(stamped);
  }

  private static Map<String, String> annotations(Release r) {
    return r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
  }
}
