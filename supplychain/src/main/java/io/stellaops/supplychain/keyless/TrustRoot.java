package io.stellaops.supplychain.keyless;

import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.rekor.client.RekorVerifier;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import io.stellaops.supplychain.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Sigstore trusted_root.json, mirrored in by the user: Fulcio CA chains, Rekor (transparency log)
 * keys, CT log keys. Nothing here fetches anything: no TUF, Fulcio or Rekor call.
 *
 * @param digest sha256 of the document, part of every verdict's cache key
 * @param rekor sigstore-java's verifier of log entries with inclusion proofs (bundles)
 */
public record TrustRoot(
    String digest,
    SigstoreTrustedRoot root,
    FulcioVerifier fulcio,
    List<TransparencyLog> tlogs,
    RekorVerifier rekor) {
  private static final int MAX_CACHED = 64;
  private static final Map<String, TrustRoot> PARSED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TrustRoot> eldest) {
              return size() > MAX_CACHED;
            }
          });

  /**
   * Parses (once per distinct document) a trusted_root.json.
   *
   * @throws IllegalArgumentException naming what is wrong: not a trusted root, a certificate or key
   *     that does not load, or a part keyless verification needs (CA, CT log, transparency log)
   *     missing
   */
  public static TrustRoot parse(byte[] json) {
    String digest = Sha256.digest(json);
    TrustRoot cached = PARSED.get(digest);
    if (cached != null) {
      return cached;
    }
    SigstoreTrustedRoot root;
    try {
      root = SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new IllegalArgumentException("not a Sigstore trusted root: " + causes(e));
    }
    if (root.getCAs().isEmpty()) {
      throw new IllegalArgumentException("the trusted root lists no certificateAuthorities");
    }
    if (root.getCTLogs().isEmpty()) {
      throw new IllegalArgumentException(
          "the trusted root lists no ctlogs: certificate SCTs cannot be checked");
    }
    if (root.getTLogs().isEmpty()) {
      throw new IllegalArgumentException(
          "the trusted root lists no tlogs: signing times cannot be proven");
    }
    FulcioVerifier fulcio;
    try {
      fulcio = FulcioVerifier.newFulcioVerifier(root);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the trusted root does not load: " + causes(e));
    }
    TrustRoot parsed =
        new TrustRoot(digest, root, fulcio, root.getTLogs(), RekorVerifier.newRekorVerifier(root));
    PARSED.put(digest, parsed);
    return parsed;
  }

  /** The transparency log with {@code logId} whose key was valid at {@code time}. */
  public Optional<TransparencyLog> tlog(byte[] logId, Instant time) {
    return TransparencyLog.find(tlogs, logId, time);
  }

  /** Every message in a cause chain, once, on one line. */
  static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !text.toString().contains(message.strip())) {
        text.append(text.isEmpty() ? "" : ": ").append(message.strip());
      }
    }
    return text.toString().replaceAll("\\s*\\n\\s*", "; ");
  }
}
