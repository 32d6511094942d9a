package io.stellaops.supplychain.oci;

/** A registry could not answer what was asked; the message quotes the registry. */
public class RegistryException extends RuntimeException {
  private final String answer;
  private final int status;

  public RegistryException(String message) {
    super(message);
    this.answer = message;
    this.status = 0;
  }

  /**
   * What the registry said about {@code what}: its HTTP status and its text, e.g. {@code 404} and
   * {@code MANIFEST_UNKNOWN: manifest unknown}.
   */
  public RegistryException(String what, int status, String text) {
    super(what + ": registry answered " + status + " " + text);
    this.answer = "registry answered " + status + " " + text;
    this.status = status;
  }

  /** The registry's HTTP status, 0 when it did not answer. */
  public int status() {
    return status;
  }

  /** The registry's answer without the reference it was about. */
  public String answer() {
    return answer;
  }
}
