package io.stellaops.supplychain.advisory;

/** A snapshot that cannot be loaded, naming the file and why; nothing of it is used. */
public class SnapshotException extends Exception {
  private final String file;
  private final String reason;

  public SnapshotException(String file, String reason) {
    super(file + ": " + reason);
    this.file = file;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
