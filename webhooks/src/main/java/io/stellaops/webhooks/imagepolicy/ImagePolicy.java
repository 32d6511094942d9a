package io.stellaops.webhooks.imagepolicy;

import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.policy.SecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import io.stellaops.webhooks.AdmissionMetrics;
import io.stellaops.webhooks.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * TrustPolicy checks at admission, for Releases and Pods alike: the policies come from an informer
 * (no API call per request), the verdicts from the evaluator shared with the Release controller,
 * and every image of a request is checked in parallel.
 */
public final class ImagePolicy {
  private final TrustEvaluator evaluator;
  private final Supplier<List<TrustPolicy>> policies;
  private final SecretSource secrets;
  private final RegistryClient registry;

  public ImagePolicy(
      TrustEvaluator evaluator,
      Supplier<List<TrustPolicy>> policies,
      SecretSource secrets,
      RegistryClient registry) {
    this.evaluator = evaluator;
    this.policies = policies;
    this.secrets = secrets;
    this.registry = registry;
  }

  /** A tag that cannot be pinned; the message quotes the registry. */
  public static final class Unresolvable extends RuntimeException {
    Unresolvable(String message) {
      super(message);
    }
  }

  /**
   * The digest {@code repository:tag} names now, read with the credentials of the TrustPolicies
   * covering it, then the object's and the namespace's pull secrets.
   */
  public String resolve(String namespace, List<String> pullSecrets, String repository, String tag) {
    try {
      return registry
          .manifest(repository, tag, credentials(namespace, pullSecrets, repository))
          .digest();
    } catch (RegistryException | IllegalArgumentException e) {
      throw new Unresolvable(
          "cannot resolve " + repository + ":" + tag + " to a digest: " + e.getMessage());
    }
  }

  private Optional<RegistryClient.Credentials> credentials(
      String namespace, List<String> pullSecrets, String image) {
    TrustMaterial material = new TrustMaterial(secrets);
    return material.credentials(
        TrustEvaluator.matching(image, policies.get()),
        material.pullSecrets(namespace, pullSecrets),
        image);
  }

  /** One image of a request, pinned by digest. */
  public record Image(String where, String image, String digest) {}

  /** The verdict for one image. */
  public record Checked(Image image, TrustEvaluator.Result result) {
    public String pinned() {
      return image.image() + "@" + image.digest();
    }
  }

  /**
   * Checks {@code images} and adds a violation for each that enforce-mode policies reject, naming
   * image, {@code policy/authority} and the failed check; with {@code unverifiedDenial}, also for
   * each image no policy covers, with that text appended. Returns the warnings of warn-mode ones.
   */
  public List<String> admit(
      String namespace,
      List<String> pullSecrets,
      List<Image> images,
      Violations violations,
      String unverifiedDenial) {
    List<String> warnings = new ArrayList<>();
    for (Checked checked : check(namespace, pullSecrets, images)) {
      var result = checked.result();
      if (unverifiedDenial != null && TrustEvaluator.UNVERIFIED.equals(result.signature())) {
        violations.add(checked.image().where(), result.message() + unverifiedDenial);
      } else if (!result.enforced().isEmpty()) {
        violations.add(
            checked.image().where(),
            checked.pinned()
                + " is not admitted by TrustPolicy "
                + String.join("; ", result.enforced()));
      }
      result
          .warned()
          .forEach(w -> warnings.add(checked.pinned() + " (TrustPolicy, warn mode) " + w));
    }
    return warnings;
  }

  /**
   * Checks {@code images} of an object in {@code namespace}; {@code pullSecrets} are the object's
   * own image pull secrets (a Pod's), tried after the policies' credentials.
   */
  public List<Checked> check(String namespace, List<String> pullSecrets, List<Image> images) {
    List<TrustPolicy> current = policies.get();
    TrustMaterial material = new TrustMaterial(secrets);
    var refs = material.pullSecrets(namespace, pullSecrets);
    List<CompletableFuture<Checked>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Image image : images) {
        futures.add(
            CompletableFuture.supplyAsync(
                () ->
                    new Checked(
                        image,
                        evaluator.evaluate(image.image(), image.digest(), current, material, refs)),
                pool));
      }
    }
    List<Checked> checked = futures.stream().map(CompletableFuture::join).toList();
    checked.forEach(c -> AdmissionMetrics.record(c.result()));
    return checked;
  }
}
