package io.stellaops.supplychain.dsse;

/** A DSSE envelope did not verify; the message says why. */
public class DsseVerificationException extends RuntimeException {
  public DsseVerificationException(String message) {
    super(message);
  }
}
