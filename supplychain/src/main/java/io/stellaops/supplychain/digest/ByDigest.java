package io.stellaops.supplychain.digest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was read from content named by its digest, kept so it is read once: the bytes behind a
 * digest never change. The least recently used entries go past {@code capacity}.
 *
 * @param <T> what is kept per digest
 */
public final class ByDigest<T> {
  /** Reads what a digest names, or fails with {@code E}. */
  @FunctionalInterface
  public interface Reader<T, E extends Exception> {
    T read() throws E;
  }

  private final Map<String, T> entries;

  public ByDigest(int capacity) {
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The entry for {@code digest}, read by {@code reader} the first time (not under a lock). */
  public <E extends Exception> T get(String digest, Reader<T, E> reader) throws E {
    synchronized (entries) {
      T kept = entries.get(digest);
      if (kept != null) {
        return kept;
      }
    }
    T read = reader.read();
    synchronized (entries) {
      entries.put(digest, read);
    }
    return read;
  }
}
