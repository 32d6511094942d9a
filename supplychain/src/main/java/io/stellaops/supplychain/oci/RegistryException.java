package io.stellaops.supplychain.oci;

/** A registry could not answer what was asked; the message quotes the registry. */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }
}
