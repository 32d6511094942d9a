package io.stellaops.supplychain.policy;

import java.util.Locale;

/**
 * Why an image failed a TrustPolicy, as a program tells failures apart: admission metrics count by
 * it ({@link #label()}); the message beside it is for people.
 */
public enum CheckFailure {
  /** No signature in either layout cosign writes. */
  UNSIGNED,
  /** Signed, but by no key or identity the authority trusts. */
  UNTRUSTED_SIGNER,
  /** A genuine signature made for another digest, copied onto this image. */
  DIGEST_MISMATCH,
  /** A required attestation is missing, untrusted or fails its condition. */
  ATTESTATION,
  /** The policy's key, trust root or registry credentials could not be loaded. */
  POLICY_NOT_LOADED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
