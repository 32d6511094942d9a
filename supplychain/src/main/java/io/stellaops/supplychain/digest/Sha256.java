package io.stellaops.supplychain.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

  /** The hex part of an OCI digest, rejecting anything but a well-formed sha256 digest. */
  public static String hexOf(String digest) {
    if (digest == null || !digest.matches("sha256:[a-f0-9]{64}")) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring(PREFIX.length());
  }
}
