package io.stellaops.supplychain.policy;

import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.Authority;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.cosign.Signer;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keyless.KeylessSigner;
import io.stellaops.supplychain.keyless.TrustRoot;
import io.stellaops.supplychain.keys.KeyPolicy;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.DockerConfigJson;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What policies refer to outside themselves: public keys and Sigstore trust roots in Secrets, and
 * registry credentials in dockerconfigjson Secrets. Every failure is an IllegalArgumentException
 * whose message names the Secret and what is wrong, so verdicts can quote it.
 */
public final class TrustMaterial {
  static final String DEFAULT_KEY = "cosign.pub";
  static final String DOCKER_CONFIG = ".dockerconfigjson";
  static final String DEFAULT_TRUST_ROOT = "trusted_root.json";

  private final SecretSource secrets;

  public TrustMaterial(SecretSource secrets) {
    this.secrets = secrets;
  }

  /**
   * A policy with its authorities' signers loaded.
   *
   * @param signers authority name → its signer (key or keyless identity), for every one that loaded
   * @param problems authority name → why its key or trust root did not load
   * @param hash sha256 over the canonical spec and what each authority resolved to: a changed
   *     policy, a rotated key or a new trust root changes it, so verdicts cached under it need no
   *     time-to-live
   */
  public record LoadedPolicy(
      TrustPolicy policy, Map<String, Signer> signers, Map<String, String> problems, String hash) {}

  /** Loads every authority's signer of {@code policy}, keeping each failure as a problem. */
  public LoadedPolicy load(TrustPolicy policy) {
    Map<String, Signer> signers = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    StringBuilder resolved = new StringBuilder(CanonicalJson.digest(policy.getSpec())).append('\n');
    for (Authority a : policy.getSpec().authorities()) {
      try {
        Signer signer = a.keyless() != null ? keylessSigner(a) : Signer.key(keyOf(a));
        signers.put(a.name(), signer);
        resolved.append(a.name()).append('=').append(signer.fingerprint());
      } catch (RuntimeException e) {
        problems.put(a.name(), e.getMessage());
        resolved.append(a.name()).append("=error:").append(e.getMessage());
      }
      resolved.append('\n');
    }
    return new LoadedPolicy(
        policy,
        signers,
        problems,
        Sha256.digest(resolved.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The Secret keys {@code policy}'s authorities read, with the default key filled in: public keys
   * and trust roots, never registry credentials. What a mirror bundle carries for them.
   */
  public static List<SecretKeyRef> publicMaterial(TrustPolicy policy) {
    List<SecretKeyRef> refs = new ArrayList<>();
    for (Authority a : policy.getSpec().authorities()) {
      SecretKeyRef ref;
      String defaultKey;
      if (a.keyless() != null) {
        ref = a.keyless().trustRoot();
        defaultKey = DEFAULT_TRUST_ROOT;
      } else if (a.key() != null && a.key().secretRef() != null) {
        ref = a.key().secretRef();
        defaultKey = DEFAULT_KEY;
      } else {
        continue;
      }
      if (ref != null) {
        refs.add(
            new SecretKeyRef(
                ref.namespace(), ref.name(), ref.key() == null ? defaultKey : ref.key()));
      }
    }
    return refs;
  }

  /** The keyless identity under the trust root its Secret holds (default trusted_root.json). */
  public Signer keylessSigner(Authority authority) {
    SecretKeyRef ref = authority.keyless().trustRoot();
    byte[] json = secretValue(ref, DEFAULT_TRUST_ROOT);
    TrustRoot root;
    try {
      root = TrustRoot.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where(ref, DEFAULT_TRUST_ROOT) + ": " + e.getMessage());
    }
    return KeylessSigner.of(root, authority.keyless());
  }

  /**
   * Credentials to read {@code image}: those named by {@code policies} first, then {@code
   * pullSecrets}.
   */
  public Optional<RegistryClient.Credentials> credentials(
      List<TrustPolicy> policies, List<SecretKeyRef> pullSecrets, String image) {
    List<SecretKeyRef> refs = new ArrayList<>();
    for (TrustPolicy p : policies) {
      if (p.getSpec().registryCredentials() != null) {
        refs.addAll(p.getSpec().registryCredentials());
      }
    }
    refs.addAll(pullSecrets);
    return credentials(refs, image);
  }

  /** The authority's public key: inline PEM, or a Secret key (default {@code cosign.pub}). */
  public PublicKey keyOf(Authority authority) {
    var key = authority.key();
    if (key == null) {
      throw new IllegalArgumentException("authority " + authority.name() + " has no key");
    }
    PublicKey parsed;
    String where;
    if (key.publicKey() != null) {
      where = "the inline publicKey";
      parsed = PemKeys.parsePublicKey(key.publicKey());
    } else {
      where = where(key.secretRef(), DEFAULT_KEY);
      byte[] pem = secretValue(key.secretRef(), DEFAULT_KEY);
      try {
        parsed = PemKeys.parsePublicKey(new String(pem, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + " is not a PEM public key: " + e.getMessage());
      }
    }
    String weak = KeyPolicy.problem(parsed);
    if (weak != null) {
      throw new IllegalArgumentException(where + " is refused: " + weak);
    }
    return parsed;
  }

  /** Credentials for {@code image}'s registry from the first of {@code refs} that has some. */
  public Optional<RegistryClient.Credentials> credentials(List<SecretKeyRef> refs, String image) {
    String registry = ImageReference.parse(image).registry();
    for (SecretKeyRef ref : refs == null ? List.<SecretKeyRef>of() : refs) {
      byte[] json = secretValue(ref, DOCKER_CONFIG);
      DockerConfigJson config;
      try {
        config = DockerConfigJson.parse(json);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where(ref, DOCKER_CONFIG) + " is not a dockerconfigjson: " + e.getMessage());
      }
      Optional<RegistryClient.Credentials> found = config.forRegistry(registry);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * Pull secrets for reading images of {@code namespace}: {@code named} ones (a Pod's own) and
   * those of the namespace's default ServiceAccount.
   */
  public List<SecretKeyRef> pullSecrets(String namespace, List<String> named) {
    List<SecretKeyRef> refs = new ArrayList<>();
    for (String name : named) {
      refs.add(new SecretKeyRef(namespace, name, null));
    }
    for (String name : secrets.pullSecretNames(namespace)) {
      refs.add(new SecretKeyRef(namespace, name, null));
    }
    return refs;
  }

  private byte[] secretValue(SecretKeyRef ref, String defaultKey) {
    String field = ref.key() == null ? defaultKey : ref.key();
    Map<String, byte[]> data =
        secrets
            .read(ref.namespace(), ref.name())
            .orElseThrow(() ->
                new IllegalArgumentException(
                    "Secret " + ref.namespace() + "/" + ref.name() + " not found"));
    byte[] value = data.get(field);
    if (value == null) {
      throw new IllegalArgumentException(
          "Secret " + ref.namespace() + "/" + ref.name() + " has no key " + field);
    }
    return value;
  }

  private static String where(SecretKeyRef ref, String defaultKey) {
    return "Secret "
        + ref.namespace()
        + "/"
        + ref.name()
        + " key "
        + (ref.key() == null ? defaultKey : ref.key());
  }
}
