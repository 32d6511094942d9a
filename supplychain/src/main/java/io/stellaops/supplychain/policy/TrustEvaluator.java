package io.stellaops.supplychain.policy;

import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.AttestationRequirement;
import io.stellaops.crds.trustpolicy.Authority;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.crds.trustpolicy.TrustPolicySpec;
import io.stellaops.supplychain.cosign.CosignAttestationVerifier;
import io.stellaops.supplychain.cosign.CosignSignatureVerifier;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.oci.ImageGlob;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.time.Deadline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Decides whether {@code image@digest} satisfies the TrustPolicies whose globs match the image:
 * each matching policy must be satisfied by one of its authorities. The admission webhook and the
 * Release controller share one instance, so a verdict reached at admission serves the controller.
 *
 * <p>Verdicts are cached under (image, digest, hash of the matching policies, hash of the keys and
 * trust roots they resolve to): a digest is immutable, so a Verified verdict needs no TTL and
 * changes only when a policy or a key changes, which changes the cache key. Other verdicts are not
 * cached (signing the image may fix them at any moment); concurrent evaluations of one key are
 * coalesced into one.
 */
public final class TrustEvaluator {
  public static final String VERIFIED = "Verified";
  public static final String FAILED = "Failed";
  public static final String WARNED = "Warned";
  public static final String UNVERIFIED = "Unverified";
  private static final int MAX_CACHED = 10_000;

  /** Checks a cosign signature of {@code image@digest} by {@code signer}. */
  @FunctionalInterface
  public interface SignatureVerifier {
    CosignSignatureVerifier.Verdict verify(
        String image,
        String digest,
        Signer signer,
        Optional<RegistryClient.Credentials> credentials);
  }

  /** Checks a cosign attestation of {@code image@digest} by {@code signer}. */
  @FunctionalInterface
  public interface AttestationVerifier {
    CosignAttestationVerifier.Verdict verify(
        String image,
        String digest,
        Signer signer,
        String predicateType,
        String condition,
        Optional<RegistryClient.Credentials> credentials);
  }

  /**
   * The verdict for one image digest.
   *
   * @param signature Verified, Failed, Warned (only warn-mode policies failed) or Unverified (no
   *     policy covers the image)
   * @param verifiedBy {@code policy/authority} of each satisfied policy
   * @param enforced why enforce-mode policies are not satisfied (admission denies)
   * @param warned why warn-mode policies are not satisfied (admission warns)
   * @param attestations predicate type → digest of the DSSE envelope that satisfied it
   * @param failures why each policy that is not satisfied failed, enforced and warned alike
   */
  public record Result(
      String signature,
      String verifiedBy,
      String message,
      List<String> enforced,
      List<String> warned,
      Map<String, String> attestations,
      List<CheckFailure> failures) {}

  private final SignatureVerifier verifier;
  private final AttestationVerifier attestationVerifier;
  private final Map<String, Result> verified =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
              return size() > MAX_CACHED;
            }
          });
  private final ConcurrentHashMap<String, CompletableFuture<Result>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();

  public TrustEvaluator(SignatureVerifier verifier, AttestationVerifier attestationVerifier) {
    this.verifier = verifier;
    this.attestationVerifier = attestationVerifier;
  }

  /** Signatures and attestations in cosign's registry layout, read with {@code registry}. */
  public static TrustEvaluator cosign(OciReader registry) {
    return new TrustEvaluator(
        new CosignSignatureVerifier(registry)::verify,
        new CosignAttestationVerifier(registry)::verify);
  }

  /** Drops every cached verdict, as a changed policy or key does for its own (benchmarks). */
  public void forget() {
    verified.clear();
  }

  /** Evaluations that reached the registry. */
  public long evaluations() {
    return evaluations.get();
  }

  /** Evaluations answered from the cache or by joining one in flight. */
  public long hits() {
    return hits.get();
  }

  /**
   * The verdict for {@code image@digest}. {@code pullSecrets} (e.g. the namespace's image pull
   * secrets) are tried after each policy's own registry credentials.
   */
  public Result evaluate(
      String image,
      String digest,
      List<TrustPolicy> policies,
      TrustMaterial material,
      List<SecretKeyRef> pullSecrets) {
    List<TrustPolicy> matching = matching(image, policies);
    if (matching.isEmpty()) {
      return new Result(
          UNVERIFIED,
          null,
          "no TrustPolicy covers " + image,
          List.of(),
          List.of(),
          Map.of(),
          List.of());
    }
    List<TrustMaterial.LoadedPolicy> loaded = matching.stream().map(material::load).toList();
    String cacheKey =
        image
            + "@"
            + digest
            + loaded.stream()
                .map(l -> "|" + l.policy().getMetadata().getName() + "=" + l.hash())
                .collect(Collectors.joining());
    Result cached = verified.get(cacheKey);
    if (cached != null) {
      hits.incrementAndGet();
      return cached;
    }
    CompletableFuture<Result> mine = new CompletableFuture<>();
    CompletableFuture<Result> running = inFlight.putIfAbsent(cacheKey, mine);
    if (running != null) {
      hits.incrementAndGet();
      try {
        return running.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof Deadline.Exceeded
            && Deadline.current().map(d -> !d.passed()).orElse(true)) {
          // the request we joined ran out of time; this one has some left
          return evaluate(image, digest, policies, material, pullSecrets);
        }
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      evaluations.incrementAndGet();
      Result result = check(image, digest, loaded, material, pullSecrets);
      // checks cut short by the deadline read as failures: that is no verdict
      Deadline.current().ifPresent(d -> d.check("a verdict on " + image + "@" + digest));
      if (VERIFIED.equals(result.signature())) {
        verified.put(cacheKey, result);
      }
      mine.complete(result);
      return result;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(cacheKey, mine);
    }
  }

  /** The policies whose globs match {@code image}, by name. */
  public static List<TrustPolicy> matching(String image, List<TrustPolicy> policies) {
    return policies.stream()
        .filter(
            p -> p.getSpec().images().stream().anyMatch(g -> ImageGlob.compile(g).matches(image)))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  private Result check(
      String image,
      String digest,
      List<TrustMaterial.LoadedPolicy> loaded,
      TrustMaterial material,
      List<SecretKeyRef> pullSecrets) {
    List<String> satisfiedBy = new ArrayList<>();
    Map<String, String> attested = new LinkedHashMap<>();
    List<String> enforced = new ArrayList<>();
    List<String> warned = new ArrayList<>();
    List<CheckFailure> failures = new ArrayList<>();
    for (TrustMaterial.LoadedPolicy loadedPolicy : loaded) {
      TrustPolicy policy = loadedPolicy.policy();
      String name = policy.getMetadata().getName();
      List<String> problems = new ArrayList<>();
      List<CheckFailure> why = new ArrayList<>();
      Optional<RegistryClient.Credentials> credentials;
      try {
        credentials = material.credentials(List.of(policy), pullSecrets, image);
      } catch (RuntimeException e) {
        credentials = Optional.empty();
        // reported only if no authority is satisfied: a public registry needs no credentials
        problems.add(name + ": registry credentials: " + e.getMessage());
        why.add(CheckFailure.POLICY_NOT_LOADED);
      }
      String by = null;
      for (Authority a : policy.getSpec().authorities()) {
        Signer signer = loadedPolicy.signers().get(a.name());
        String refused;
        if (signer != null) {
          var verdict = verifier.verify(image, digest, signer, credentials);
          refused = verdict.verified() ? null : verdict.reason();
          if (refused != null) {
            why.add(verdict.failure());
          }
        } else {
          refused =
              (a.keyless() != null ? "trust root not loaded: " : "key not loaded: ")
                  + loadedPolicy.problems().get(a.name());
          why.add(CheckFailure.POLICY_NOT_LOADED);
        }
        if (refused == null) {
          by = name + "/" + a.name();
          break;
        }
        problems.add(name + "/" + a.name() + ": " + refused);
      }
      if (by != null) {
        satisfiedBy.add(by);
        problems.clear();
        why.clear();
      }
      var required = policy.getSpec().attestations();
      for (AttestationRequirement r :
          required == null ? List.<AttestationRequirement>of() : required) {
        List<String> reasons = new ArrayList<>();
        String envelope = null;
        for (Authority a : policy.getSpec().authorities()) {
          Signer signer = loadedPolicy.signers().get(a.name());
          if (signer == null) {
            continue;
          }
          var verdict =
              attestationVerifier.verify(
                  image, digest, signer, r.predicateType(), r.condition(), credentials);
          if (verdict.verified()) {
            envelope = verdict.envelopeDigest();
            break;
          }
          reasons.add(a.name() + ": " + verdict.reason());
        }
        if (envelope != null) {
          attested.put(r.predicateType(), envelope);
        } else {
          problems.add(
              name
                  + ": attestation "
                  + r.name()
                  + " ("
                  + r.predicateType()
                  + "): "
                  + (reasons.isEmpty()
                      ? "no loaded authority to check it with"
                      : String.join("; ", reasons)));
          why.add(CheckFailure.ATTESTATION);
        }
      }
      (policy.getSpec().mode() == TrustPolicySpec.Mode.WARN ? warned : enforced).addAll(problems);
      failures.addAll(why);
    }
    String by = satisfiedBy.isEmpty() ? null : String.join(", ", satisfiedBy);
    if (!enforced.isEmpty()) {
      return new Result(
          FAILED, null, String.join("; ", enforced), enforced, warned, attested, failures);
    }
    if (!warned.isEmpty()) {
      return new Result(
          WARNED, by, String.join("; ", warned), enforced, warned, attested, failures);
    }
    return new Result(
        VERIFIED,
        by,
        "signed by " + by + (attested.isEmpty() ? "" : ", attested " + attested.keySet()),
        List.of(),
        List.of(),
        attested,
        List.of());
  }
}
