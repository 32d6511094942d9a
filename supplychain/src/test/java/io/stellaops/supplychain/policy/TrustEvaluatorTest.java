package io.stellaops.supplychain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.Authority;
import io.stellaops.crds.trustpolicy.KeyAuthority;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.crds.trustpolicy.TrustPolicySpec;
import io.stellaops.supplychain.cosign.CosignAttestationVerifier;
import io.stellaops.supplychain.cosign.CosignSignatureVerifier.Verdict;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrustEvaluatorTest {
  static final String IMAGE = "registry.example.com/shop/api";
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String SIGNER = PemKeys.publicKeyPem(PemKeys.generateP256().getPublic());
  static final TrustEvaluator.AttestationVerifier NO_ATTESTATIONS =
      (image, digest, key, type, condition, credentials) ->
          new CosignAttestationVerifier.Verdict(false, "no attestation", null);
  static final TrustMaterial NO_SECRETS = new TrustMaterial((ns, name) -> Optional.empty());

  static TrustPolicy policy(String name, TrustPolicySpec.Mode mode, String pem) {
    TrustPolicy p = new TrustPolicy();
    p.getMetadata().setName(name);
    p.setSpec(
        new TrustPolicySpec(
            List.of("registry.example.com/shop/**"),
            List.of(new Authority("ci", new KeyAuthority(pem, null), null)),
            null,
            mode,
            null));
    return p;
  }

  /** A verifier that accepts one key and counts its calls. */
  static final class CountingVerifier implements TrustEvaluator.SignatureVerifier {
    final AtomicInteger calls = new AtomicInteger();
    final List<Optional<RegistryClient.Credentials>> credentials =
        Collections.synchronizedList(new ArrayList<>());
    final PublicKey accepted;
    final CountDownLatch release;

    CountingVerifier(String acceptedPem, CountDownLatch release) {
      this.accepted = PemKeys.parsePublicKey(acceptedPem);
      this.release = release;
    }

    @Override
    public Verdict verify(
        String image, String digest, Signer signer, Optional<RegistryClient.Credentials> creds) {
      calls.incrementAndGet();
      credentials.add(creds);
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return signer.fingerprint().equals(Signer.key(accepted).fingerprint())
          ? new Verdict(true, image + "@" + digest + ": signed by the key", null)
          : new Verdict(
              false,
              image + "@" + digest + ": no signature verifies with the key",
              CheckFailure.UNTRUSTED_SIGNER);
    }
  }

  @Test
  void concurrentLookupsOfOneDigestAreCoalescedAndAVerifiedVerdictIsKept() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    var verifier = new CountingVerifier(SIGNER, gate);
    var evaluator = new TrustEvaluator(verifier, NO_ATTESTATIONS);
    var policies = List.of(policy("shop", TrustPolicySpec.Mode.ENFORCE, SIGNER));
    List<Future<TrustEvaluator.Result>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        answers.add(
            pool.submit(() -> evaluator.evaluate(IMAGE, DIGEST, policies, NO_SECRETS, List.of())));
      }
      Thread.sleep(200);
      gate.countDown();
    }
    for (var answer : answers) {
      assertThat(answer.get().signature()).isEqualTo(TrustEvaluator.VERIFIED);
      assertThat(answer.get().verifiedBy()).isEqualTo("shop/ci");
    }
    assertThat(verifier.calls).hasValue(1);
    assertThat(evaluator.hits()).isEqualTo(7);

    evaluator.evaluate(IMAGE, DIGEST, policies, NO_SECRETS, List.of());
    assertThat(verifier.calls).as("served from the cache").hasValue(1);
  }

  @Test
  void aChangedPolicyOrKeyIsEvaluatedAgainAndFailuresAreNotKept() {
    var verifier = new CountingVerifier(SIGNER, new CountDownLatch(0));
    var evaluator = new TrustEvaluator(verifier, NO_ATTESTATIONS);
    evaluator.evaluate(IMAGE, DIGEST, List.of(policy("shop", null, SIGNER)), NO_SECRETS, List.of());
    var warnMode = List.of(policy("shop", TrustPolicySpec.Mode.WARN, SIGNER));
    evaluator.evaluate(IMAGE, DIGEST, warnMode, NO_SECRETS, List.of());
    assertThat(verifier.calls).as("the policy changed").hasValue(2);

    String other = PemKeys.publicKeyPem(PemKeys.generateP256().getPublic());
    var wrongKey = List.of(policy("shop", null, other));
    var denied = evaluator.evaluate(IMAGE, DIGEST, wrongKey, NO_SECRETS, List.of());
    assertThat(denied.signature()).isEqualTo(TrustEvaluator.FAILED);
    assertThat(denied.enforced())
        .containsExactly(
            "shop/ci: " + IMAGE + "@" + DIGEST + ": no signature verifies with the key");
    assertThat(denied.failures()).containsExactly(CheckFailure.UNTRUSTED_SIGNER);
    evaluator.evaluate(IMAGE, DIGEST, wrongKey, NO_SECRETS, List.of());
    assertThat(verifier.calls).as("a failure is looked at again").hasValue(4);
  }

  @Test
  void warnModeFailuresAreWarningsNotDenials() {
    var evaluator =
        new TrustEvaluator(new CountingVerifier(SIGNER, new CountDownLatch(0)), NO_ATTESTATIONS);
    String other = PemKeys.publicKeyPem(PemKeys.generateP256().getPublic());
    var result =
        evaluator.evaluate(
            IMAGE,
            DIGEST,
            List.of(policy("audit", TrustPolicySpec.Mode.WARN, other)),
            NO_SECRETS,
            List.of());
    assertThat(result.signature()).isEqualTo(TrustEvaluator.WARNED);
    assertThat(result.enforced()).isEmpty();
    assertThat(result.warned()).singleElement().asString().startsWith("audit/ci: ");
    assertThat(result.failures()).containsExactly(CheckFailure.UNTRUSTED_SIGNER);
  }

  @Test
  void keysAndCredentialsComeFromSecretsAndTheirProblemsAreNamed() {
    var verifier = new CountingVerifier(SIGNER, new CountDownLatch(0));
    var evaluator = new TrustEvaluator(verifier, NO_ATTESTATIONS);
    String dockerConfig =
        """
        {"auths": {"https://registry.example.com": {"auth": "%s"}}}
        """
            .formatted(
                java.util.Base64.getEncoder()
                    .encodeToString("robot:s3cret".getBytes(StandardCharsets.UTF_8)));
    var material =
        new TrustMaterial((ns, name) ->
            switch (name) {
              case "registry" ->
                  Optional.of(
                      Map.of(".dockerconfigjson", dockerConfig.getBytes(StandardCharsets.UTF_8)));
              case "signer" ->
                  Optional.of(Map.of("cosign.pub", SIGNER.getBytes(StandardCharsets.UTF_8)));
              default -> Optional.empty();
            });
    TrustPolicy fromSecret = new TrustPolicy();
    fromSecret.getMetadata().setName("shop");
    fromSecret.setSpec(
        new TrustPolicySpec(
            List.of("registry.example.com/**"),
            List.of(
                new Authority(
                    "gone",
                    new KeyAuthority(null, new SecretKeyRef("stella-system", "missing", null)),
                    null),
                new Authority(
                    "ci",
                    new KeyAuthority(null, new SecretKeyRef("stella-system", "signer", null)),
                    null)),
            null,
            null,
            List.of(new SecretKeyRef("stella-system", "registry", null))));
    var result = evaluator.evaluate(IMAGE, DIGEST, List.of(fromSecret), material, List.of());
    assertThat(result.signature()).isEqualTo(TrustEvaluator.VERIFIED);
    assertThat(result.verifiedBy()).isEqualTo("shop/ci");
    assertThat(verifier.credentials)
        .containsOnly(Optional.of(new RegistryClient.Credentials("robot", "s3cret")));

    TrustPolicy onlyMissing = new TrustPolicy();
    onlyMissing.getMetadata().setName("strict");
    onlyMissing.setSpec(
        new TrustPolicySpec(
            List.of("registry.example.com/**"),
            List.of(fromSecret.getSpec().authorities().getFirst()),
            null,
            null,
            null));
    var failed = evaluator.evaluate(IMAGE, DIGEST, List.of(onlyMissing), material, List.of());
    assertThat(failed.message())
        .isEqualTo("strict/gone: key not loaded: Secret stella-system/missing not found");
  }

  @Test
  void anImageNoPolicyCoversIsUnverified() {
    var evaluator =
        new TrustEvaluator(new CountingVerifier(SIGNER, new CountDownLatch(0)), NO_ATTESTATIONS);
    var result =
        evaluator.evaluate(
            "other.example.com/tool",
            DIGEST,
            List.of(policy("shop", null, SIGNER)),
            NO_SECRETS,
            List.of());
    assertThat(result.signature()).isEqualTo(TrustEvaluator.UNVERIFIED);
  }
}
