package io.stellaops.decision.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key the operator has signed evidence with: the active one, those retired by a rotation
 * (still trusted for what they signed) and those revoked (trusted for nothing), each with its key
 * id (sha256 of the public key's DER, as DSSE signatures name it) and validity window. Published
 * beside the active public key, so evidence verifies offline after any number of rotations.
 */
public record EvidenceKeyring(String apiVersion, List<Key> keys) {
  public static final String API_VERSION = "stellaops.io/evidence-keyring/v1";

  /** Where it is published: this data key of the public-key ConfigMap. */
  public static final String DATA_KEY = "keyring.json";

  /**
   * One key.
   *
   * @param keyId sha256 hex of the public key's DER encoding
   * @param publicKey PEM
   * @param activeFrom when the operator started signing with it
   * @param retiredAt when a newer key replaced it; null while active
   * @param revokedAt when it was revoked; evidence it signed no longer verifies
   * @param revocationReason why, as the person who revoked it said
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Key(
      String keyId,
      String publicKey,
      String activeFrom,
      String retiredAt,
      String revokedAt,
      String revocationReason) {
    public boolean revoked() {
      return revokedAt != null;
    }

    /** {@code active since T}, {@code active T to T'}, plus the revocation if any. */
    public String window() {
      String window =
          retiredAt == null
              ? "active since " + activeFrom
              : "active " + activeFrom + " to " + retiredAt;
      return revoked() ? window + ", revoked " + revokedAt + ": " + revocationReason : window;
    }
  }

  public static EvidenceKeyring empty() {
    return new EvidenceKeyring(API_VERSION, List.of());
  }

  /** The keyring published as {@code json}; refused, naming the problem, if it is not one. */
  public static EvidenceKeyring parse(String json) {
    EvidenceKeyring keyring;
    try {
      keyring = CanonicalJson.MAPPER.readValue(json, EvidenceKeyring.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("the evidence keyring is not JSON: " + e.getMessage());
    }
    if (!API_VERSION.equals(keyring.apiVersion()) || keyring.keys() == null) {
      throw new IllegalArgumentException(
          "the evidence keyring is not a " + API_VERSION + " document");
    }
    return keyring;
  }

  /** The keyring in the data of the public-key ConfigMap; empty when it holds none yet. */
  public static EvidenceKeyring published(Map<String, String> data) {
    String json = data == null ? null : data.get(DATA_KEY);
    return json == null ? empty() : parse(json);
  }

  /** The data of the public-key ConfigMap: the active key ({@code cosign.pub}), its id, this. */
  public Map<String, String> publishedData() {
    Key active =
        active().orElseThrow(() -> new IllegalStateException("the keyring has no active key"));
    return Map.of(
        EvidencePublicKey.DATA_KEY,
        active.publicKey(),
        EvidencePublicKey.KEY_ID,
        active.keyId(),
        DATA_KEY,
        toJson());
  }

  public String toJson() {
    return new String(CanonicalJson.bytes(this), java.nio.charset.StandardCharsets.UTF_8);
  }

  public Optional<Key> find(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  public Optional<Key> active() {
    return keys.stream().filter(k -> k.retiredAt() == null && !k.revoked()).findFirst();
  }

  /**
   * This keyring with {@code keyId} the active key from {@code now}: the key active before is
   * retired at {@code now}. Unchanged when it is already the active one; a revoked key never signs
   * again.
   */
  public EvidenceKeyring activate(String keyId, String publicKeyPem, Instant now) {
    var known = find(keyId);
    if (known.isPresent() && known.get().revoked()) {
      throw new IllegalStateException(
          "evidence key "
              + keyId
              + " was revoked ("
              + known.get().window()
              + "); it cannot sign: rotate to a new key");
    }
    if (known.isPresent() && known.get().retiredAt() == null) {
      return this;
    }
    List<Key> next = new ArrayList<>();
    for (Key k : keys) {
      if (k.keyId().equals(keyId)) {
        continue; // a retired key made active again starts a new window
      }
      next.add(
          k.retiredAt() == null && !k.revoked()
              ? new Key(k.keyId(), k.publicKey(), k.activeFrom(), now.toString(), null, null)
              : k);
    }
    next.add(new Key(keyId, publicKeyPem, now.toString(), null, null, null));
    return new EvidenceKeyring(API_VERSION, List.copyOf(next));
  }

  /** This keyring with {@code keyId} revoked at {@code now} for {@code reason}. */
  public EvidenceKeyring revoke(String keyId, String reason, Instant now) {
    Key key =
        find(keyId)
            .orElseThrow(
                () -> new IllegalArgumentException("the evidence keyring has no key " + keyId));
    if (key.retiredAt() == null) {
      throw new IllegalStateException(
          "key " + keyId + " is the active signing key: rotate first, then revoke it");
    }
    List<Key> next = new ArrayList<>();
    for (Key k : keys) {
      next.add(
          k.keyId().equals(keyId)
              ? new Key(
                  k.keyId(), k.publicKey(), k.activeFrom(), k.retiredAt(), now.toString(), reason)
              : k);
    }
    return new EvidenceKeyring(API_VERSION, List.copyOf(next));
  }
}
