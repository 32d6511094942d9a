package io.stellaops.supplychain.findings;

/** A VEX document that cannot be read, naming it and why. */
public class VexException extends Exception {
  public VexException(String message) {
    super(message);
  }
}
