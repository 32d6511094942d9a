package io.stellaops.supplychain.encoding;

import java.util.Base64;

/**
 * Base64 as cosign decodes it, so that we accept exactly the signatures and payloads cosign
 * accepts: Go's {@code encoding/base64} skips carriage returns and line feeds anywhere in the input
 * and is otherwise strict (alphabet, padding), while Java's decoders either refuse line breaks or
 * (the MIME decoder) skip every character outside the alphabet.
 */
public final class GoBase64 {
  private GoBase64() {}

  /**
   * {@code base64.StdEncoding.DecodeString}: the standard alphabet, padded, line breaks skipped.
   */
  public static byte[] standard(String text) {
    return padded(Base64.getDecoder(), withoutLineBreaks(text));
  }

  /**
   * How DSSE envelopes' signatures are decoded (go-securesystemslib): the standard alphabet, else
   * the URL-safe one, both padded.
   */
  public static byte[] standardOrUrl(String text) {
    String stripped = withoutLineBreaks(text);
    try {
      return padded(Base64.getDecoder(), stripped);
    } catch (IllegalArgumentException e) {
      return padded(Base64.getUrlDecoder(), stripped);
    }
  }

  /** Go's padded encodings refuse what Java's decoders take: input whose padding is missing. */
  private static byte[] padded(Base64.Decoder decoder, String text) {
    if (text.length() % 4 != 0) {
      throw new IllegalArgumentException(
          "base64 of " + text.length() + " characters, not a multiple of 4 (padding missing)");
    }
    return decoder.decode(text);
  }

  private static String withoutLineBreaks(String text) {
    return text.indexOf('\n') < 0 && text.indexOf('\r') < 0
        ? text
        : text.replace("\r", "").replace("\n", "");
  }
}
