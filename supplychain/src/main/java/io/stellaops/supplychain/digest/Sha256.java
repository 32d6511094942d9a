package io.stellaops.supplychain.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** sha256 digests in OCI notation ({@code sha256:<64 lower-case hex>}). */
public final class Sha256 {
  public static final String PREFIX = "sha256:";

  private Sha256() {}

  /** The OCI digest of {@code bytes}. */
  public static String digest(byte[] bytes) {
    return PREFIX + hex(bytes);
  }

  /** The lower-case hex sha256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(raw(bytes));
  }

  /** The raw 32-byte sha256 of {@code bytes}. */
  public static byte[] raw(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /**
   * The digest of a set of named documents given as name → digest, in the map's order: renaming,
   * editing, adding or removing one changes it.
   */
  public static String ofNamed(Map<String, String> digests) {
    StringBuilder manifest = new StringBuilder();
    digests.forEach(
        (name, digest) -> manifest.append(name).append('\0').append(digest).append('\n'));
    return digest(manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code digest} is a well-formed sha256 digest: {@code sha256:} and 64 lower-case hex.
   */
  public static boolean isDigest(String digest) {
    return digest != null && digest.matches("sha256:[a-f0-9]{64}");
  }

  /** The hex part of an OCI digest, rejecting anything but a well-formed sha256 digest. */
  public static String hexOf(String digest) {
    if (!isDigest(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring(PREFIX.length());
  }
}
