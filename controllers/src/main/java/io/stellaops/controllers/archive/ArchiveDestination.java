package io.stellaops.controllers.archive;

/**
 * Where a class's archives go. {@link #store} is idempotent: the same bundle stored again is found
 * where it was and not written twice; it returns only once the archive was read back and matched.
 */
public interface ArchiveDestination extends AutoCloseable {
  /**
   * Stores {@code bundle} under {@code key} unless it is already there, reads it back and checks
   * it; returns where it is, e.g. {@code oci://registry/repo@sha256:…}.
   *
   * @throws ArchiveException naming the destination and what went wrong; nothing is deleted then
   */
  String store(String key, byte[] bundle, String description) throws ArchiveException;

  /** How messages name the destination. */
  String describe();

  /** Releases its connections. */
  @Override
  default void close() {}

  /** An archive that could not be written or read back as written. */
  final class ArchiveException extends Exception {
    public ArchiveException(String message) {
      super(message);
    }
  }
}
