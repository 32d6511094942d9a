package io.stellaops.supplychain.archive;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each file's content lies in a tar of short names (ustar headers, as bundles write them), so
 * tests can flip a byte of one file in place and see whether verification names it.
 */
public final class TarContents {
  private TarContents() {}

  /** File name → {offset of its content, its size}, in tar order. */
  public static Map<String, int[]> of(byte[] tar) {
    Map<String, int[]> found = new LinkedHashMap<>();
    int at = 0;
    while (at + 512 <= tar.length && tar[at] != 0) {
      String name = new String(tar, at, 100, StandardCharsets.US_ASCII).replace("\0", "");
      int size =
          Integer.parseInt(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
      found.put(name, new int[] {at + 512, size});
      at += 512 + (size + 511) / 512 * 512;
    }
    return found;
  }
}
