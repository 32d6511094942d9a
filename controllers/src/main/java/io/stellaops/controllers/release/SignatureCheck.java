package io.stellaops.controllers.release;

import io.stellaops.crds.trustpolicy.Authority;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.crds.trustpolicy.TrustPolicySpec;
import io.stellaops.supplychain.cosign.CosignSignatureVerifier;
import io.stellaops.supplychain.oci.ImageGlob;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checks one component digest against the TrustPolicies whose globs match its image: each matching
 * policy must be satisfied by one of its authorities. Keyless authorities and required attestations
 * are not verified by this version and fail closed, saying so.
 */
final class SignatureCheck {
  static final String VERIFIED = "Verified";
  static final String FAILED = "Failed";
  static final String WARNED = "Warned";
  static final String UNVERIFIED = "Unverified";

  private SignatureCheck() {}

  /** The verdict: Verified, Failed, Warned (only warn-mode policies failed) or Unverified. */
  record Result(String signature, String verifiedBy, String message) {}

  /** Resolves an authority's public key; throws with a message saying why it cannot. */
  interface KeyResolver {
    PublicKey keyOf(Authority authority);
  }

  static Result check(
      String image,
      String digest,
      List<TrustPolicy> policies,
      KeyResolver keys,
      CosignSignatureVerifier verifier) {
    List<TrustPolicy> matching =
        policies.stream()
            .filter(p ->
                p.getSpec().images().stream().anyMatch(g -> ImageGlob.compile(g).matches(image)))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    if (matching.isEmpty()) {
      return new Result(UNVERIFIED, null, "no TrustPolicy covers " + image);
    }
    List<String> satisfiedBy = new ArrayList<>();
    List<String> enforced = new ArrayList<>();
    List<String> warned = new ArrayList<>();
    for (TrustPolicy policy : matching) {
      String name = policy.getMetadata().getName();
      List<String> problems = new ArrayList<>();
      Optional<String> by = Optional.empty();
      for (Authority a : policy.getSpec().authorities()) {
        String why = attempt(a, image, digest, keys, verifier);
        if (why == null) {
          by = Optional.of(name + "/" + a.name());
          break;
        }
        problems.add(name + "/" + a.name() + ": " + why);
      }
      if (by.isPresent()) {
        satisfiedBy.add(by.get());
        problems.clear();
      }
      var attestations = policy.getSpec().attestations();
      if (attestations != null && !attestations.isEmpty()) {
        problems.add(
            name
                + ": required attestations ("
                + attestations.size()
                + ") are not verified by this version");
      }
      (policy.getSpec().mode() == TrustPolicySpec.Mode.WARN ? warned : enforced).addAll(problems);
    }
    if (!enforced.isEmpty()) {
      return new Result(FAILED, null, String.join("; ", enforced));
    }
    String by = String.join(", ", satisfiedBy);
    if (!warned.isEmpty()) {
      return new Result(WARNED, by.isEmpty() ? null : by, String.join("; ", warned));
    }
    return new Result(VERIFIED, by, "signed by " + by);
  }

  /** Null when the authority verifies the signature, otherwise why not. */
  private static String attempt(
      Authority a,
      String image,
      String digest,
      KeyResolver keys,
      CosignSignatureVerifier verifier) {
    if (a.keyless() != null) {
      return "keyless verification is not supported by this version";
    }
    try {
      var verdict = verifier.verify(image, digest, keys.keyOf(a), Optional.empty());
      return verdict.verified() ? null : verdict.reason();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
