package io.stellaops.crds.promotion;

/** Annotations with meaning on a Promotion. */
public final class PromotionAnnotations {
  /**
   * On a rollback promotion: the promotion it undoes. Its jobs are rollbacks, and a failed
   * promotion becomes RolledBack once the promotion naming it here succeeded.
   */
  public static final String ROLLBACK_OF = "stellaops.io/rollback-of";

  private PromotionAnnotations() {}
}
