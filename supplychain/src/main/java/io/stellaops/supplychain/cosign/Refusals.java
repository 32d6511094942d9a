package io.stellaops.supplychain.cosign;

import java.util.ArrayList;

/**
 * Why each candidate signature or attestation was refused, in order, as the messages a user reads;
 * and whether one of them was genuine but made for another image, which metrics count apart from a
 * signer that is not trusted.
 */
final class Refusals extends ArrayList<String> {
  private boolean otherSubject;

  /** A valid signature over another digest: the signature was copied from another image. */
  void otherSubject(String why) {
    otherSubject = true;
    add(why);
  }

  boolean anyOtherSubject() {
    return otherSubject;
  }
}
