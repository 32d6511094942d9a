package io.stellaops.supplychain.sbom;

/** An SBOM that cannot be read, and why. */
public class SbomException extends Exception {
  public SbomException(String message) {
    super(message);
  }
}
