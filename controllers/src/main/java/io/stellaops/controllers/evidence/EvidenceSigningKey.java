package io.stellaops.controllers.evidence;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The operator's evidence signing key: an ECDSA P-256 key in a Secret, generated on first use if
 * absent, with its public key published in a ConfigMap so anyone can verify evidence offline.
 */
public final class EvidenceSigningKey {
  public static final String SECRET = EvidencePublicKey.SECRET;
  public static final String CONFIG_MAP = EvidencePublicKey.CONFIG_MAP;
  public static final String PRIVATE_KEY = EvidencePublicKey.PRIVATE_KEY;
  public static final String PUBLIC_KEY = EvidencePublicKey.DATA_KEY;

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String secretUid;

  private EvidenceSigningKey(PrivateKey privateKey, PublicKey publicKey, String secretUid) {
    this.secretUid = secretUid;
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
    return refresh(client, namespace, null);
  }

  /**
   * The key in {@code namespace} now: {@code known} while its Secret is the same object (one GET),
   * else the Secret's key (created when there is none), published into the keyring as the active
   * key. A rotation ({@code kubectl stella keys rotate}) replaces the Secret.
   */
  public static EvidenceSigningKey refresh(
      KubernetesClient client, String namespace, EvidenceSigningKey known) {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (secret == null) {
      secret = createSecret(client, namespace);
    }
    if (known != null && secret.getMetadata().getUid().equals(known.secretUid)) {
      return known;
    }
    String privatePem = decode(secret, PRIVATE_KEY);
    String publicPem = decode(secret, PUBLIC_KEY);
    publish(client, namespace, publicPem);
    return new EvidenceSigningKey(
        PemKeys.parsePrivateKey(privatePem),
        PemKeys.parsePublicKey(publicPem),
        secret.getMetadata().getUid());
  }

  private static Secret createSecret(KubernetesClient client, String namespace) {
    var pair = PemKeys.generateP256();
    Secret fresh =
        EvidencePublicKey.secret(
            namespace,
            PemKeys.privateKeyPem(pair.getPrivate()),
            PemKeys.publicKeyPem(pair.getPublic()));
    // Another replica may create it first: then its key is the one.
    return CreateOnce.createOrGet(client, fresh);
  }

  /**
   * Publishes {@code publicPem} as the active key: {@code cosign.pub} and the keyring, where the
   * key active before is retired (its evidence still verifies). Writes only when that changes
   * anything; a revoked key is refused, so nothing is signed with it again.
   */
  private static void publish(KubernetesClient client, String namespace, String publicPem) {
    String keyId = PemKeys.keyId(PemKeys.parsePublicKey(publicPem));
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    Map<String, String> data =
        existing == null || existing.getData() == null ? Map.of() : existing.getData();
    EvidenceKeyring keyring = EvidenceKeyring.published(data);
    EvidenceKeyring next = keyring.activate(keyId, publicPem, Instant.now());
    if (next.equals(keyring) && publicPem.equals(data.get(PUBLIC_KEY))) {
      return;
    }
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(EvidencePublicKey.configMap(namespace, next.publishedData()))
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
