package io.stellaops.supplychain.oci;

/** A registry could not answer what was asked; the message quotes the registry. */
public class RegistryException extends RuntimeException {
  private final String answer;

  public RegistryException(String message) {
    super(message);
    this.answer = message;
  }

  /**
   * What the registry said about {@code what}, e.g. {@code 404 MANIFEST_UNKNOWN: manifest unknown}.
   */
  public RegistryException(String what, String answer) {
    super(what + ": registry answered " + answer);
    this.answer = "registry answered " + answer;
  }

  /** The registry's answer without the reference it was about. */
  public String answer() {
    return answer;
  }
}
