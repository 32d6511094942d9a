package io.stellaops.webhooks.imagepolicy;

import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.policy.SecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import io.stellaops.webhooks.AdmissionMetrics;
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

  public ImagePolicy(
      TrustEvaluator evaluator, Supplier<List<TrustPolicy>> policies, SecretSource secrets) {
    this.evaluator = evaluator;
    this.policies = policies;
    this.secrets = secrets;
  }

  /**
   * Credentials to read {@code image} from its registry: those of the TrustPolicies covering it,
   * then the pull secrets of the object and of the namespace.
   */
  public Optional<RegistryClient.Credentials> credentials(
      String namespace, List<String> pullSecrets, String image) {
    TrustMaterial material = new TrustMaterial(secrets);
    List<SecretKeyRef> refs = new ArrayList<>();
    for (TrustPolicy p : TrustEvaluator.matching(image, policies.get())) {
      if (p.getSpec().registryCredentials() != null) {
        refs.addAll(p.getSpec().registryCredentials());
      }
    }
    refs.addAll(material.pullSecrets(namespace, pullSecrets));
    return material.credentials(refs, image);
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
