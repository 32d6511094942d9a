package io.stellaops.crds.evidencepacket;

/**
 * Where the operator publishes the public key its evidence is signed with, so anyone can verify
 * evidence offline: ConfigMap {@link #CONFIG_MAP} in the operator's namespace, key {@link
 * #DATA_KEY} (PEM, as cosign reads it).
 */
public final class EvidencePublicKey {
  public static final String CONFIG_MAP = "stella-evidence-public-key";
  public static final String DATA_KEY = "cosign.pub";

  /**
   * The Secret beside it that holds the active key pair: {@code key.pem} and {@code cosign.pub}.
   */
  public static final String SECRET = "stella-evidence-signing-key";

  public static final String PRIVATE_KEY = "key.pem";

  private EvidencePublicKey() {}
}
