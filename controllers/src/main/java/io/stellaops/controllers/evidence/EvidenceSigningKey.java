package io.stellaops.controllers.evidence;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;

/**
 * The operator's evidence signing key: an ECDSA P-256 key in a Secret, generated on first use if
 * absent, with its public key published in a ConfigMap so anyone can verify evidence offline.
 */
public final class EvidenceSigningKey {
  public static final String SECRET = "stella-evidence-signing-key";
  public static final String CONFIG_MAP = EvidencePublicKey.CONFIG_MAP;
  public static final String PRIVATE_KEY = "key.pem";
  public static final String PUBLIC_KEY = EvidencePublicKey.DATA_KEY;

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private EvidenceSigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String keyId() {
    return PemKeys.keyId(publicKey);
  }

  /** Loads the key from {@code namespace}, creating Secret and ConfigMap when they do not exist. */
  public static EvidenceSigningKey loadOrCreate(KubernetesClient client, String namespace) {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (secret == null) {
      secret = createSecret(client, namespace);
    }
    String privatePem = decode(secret, PRIVATE_KEY);
    String publicPem = decode(secret, PUBLIC_KEY);
    publish(client, namespace, publicPem);
    return new EvidenceSigningKey(
        PemKeys.parsePrivateKey(privatePem), PemKeys.parsePublicKey(publicPem));
  }

  private static Secret createSecret(KubernetesClient client, String namespace) {
    var pair = PemKeys.generateP256();
    Secret fresh =
        new SecretBuilder()
            .withNewMetadata()
            .withName(SECRET)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/part-of", "stella-operator")
            .endMetadata()
            .withImmutable(true)
            .withStringData(
                Map.of(
                    PRIVATE_KEY, PemKeys.privateKeyPem(pair.getPrivate()),
                    PUBLIC_KEY, PemKeys.publicKeyPem(pair.getPublic())))
            .build();
    // Another replica may create it first: then its key is the one.
    return CreateOnce.createOrGet(client, fresh);
  }

  private static void publish(KubernetesClient client, String namespace, String publicPem) {
    var configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(CONFIG_MAP)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/part-of", "stella-operator")
            .endMetadata()
            .withData(
                Map.of(
                    PUBLIC_KEY,
                    publicPem,
                    "keyid",
                    PemKeys.keyId(PemKeys.parsePublicKey(publicPem))))
            .build();
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(configMap)
        .forceConflicts()
        .serverSideApply();
  }

  private static String decode(Secret secret, String key) {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      throw new IllegalStateException(
          "Secret " + SECRET + " has no " + key + "; delete it to have a new key generated");
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
