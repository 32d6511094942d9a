package io.stellaops.crds.evidencepacket;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;

/**
 * Where the operator publishes the public key its evidence is signed with, so anyone can verify
 * evidence offline: ConfigMap {@link #CONFIG_MAP} in the operator's namespace, key {@link
 * #DATA_KEY} (PEM, as cosign reads it). The objects are built here alone: the operator creates
 * them, {@code kubectl stella keys} replaces them.
 */
public final class EvidencePublicKey {
  public static final String CONFIG_MAP = "stella-evidence-public-key";
  public static final String DATA_KEY = "cosign.pub";

  /** The active key's id (sha256 of the public key's DER), beside it. */
  public static final String KEY_ID = "keyid";

  /**
   * The Secret beside it that holds the active key pair: {@code key.pem} and {@code cosign.pub}.
   */
  public static final String SECRET = "stella-evidence-signing-key";

  public static final String PRIVATE_KEY = "key.pem";

  private static final Map<String, String> LABELS =
      Map.of("app.kubernetes.io/part-of", "stella-operator");

  private EvidencePublicKey() {}

  /** The Secret {@link #SECRET} holding a key pair (PEM); immutable, so a new key replaces it. */
  public static Secret secret(String namespace, String privateKeyPem, String publicKeyPem) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(namespace)
        .addToLabels(LABELS)
        .endMetadata()
        .withImmutable(true)
        .withStringData(Map.of(PRIVATE_KEY, privateKeyPem, DATA_KEY, publicKeyPem))
        .build();
  }

  /** The ConfigMap {@link #CONFIG_MAP} publishing {@code data}. */
  public static ConfigMap configMap(String namespace, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(CONFIG_MAP)
        .withNamespace(namespace)
        .addToLabels(LABELS)
        .endMetadata()
        .withData(data)
        .build();
  }
}
