package io.stellaops.crds.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Object names as label values. Names may hold 253 characters, label values 63: a longer name
 * becomes its first 52 characters and 10 hex digits of its SHA-256, still unique and readable.
 * Selecting by such a label needs the same function; the spec field holds the full name.
 */
public final class LabelValues {
  public static final int MAX = 63;

  private LabelValues() {}

  public static String of(String name) {
    if (name.length() <= MAX) {
      return name;
    }
    String head = name.substring(0, 52).replaceAll("[^A-Za-z0-9]+$", "");
    return head + "-" + sha256Hex(name).substring(0, 10);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
