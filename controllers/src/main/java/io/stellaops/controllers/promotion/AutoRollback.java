package io.stellaops.controllers.promotion;

import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionAnnotations;
import io.stellaops.crds.promotion.PromotionSpec;

/**
 * When a deployment into an Environment with {@code rollbackOnFailure} fails, promotes the
 * environment's current release (the last one that succeeded there) again. The rollback is an
 * ordinary promotion, named {@code <failed promotion>-rollback} so it is made once, and passes the
 * same gates; a rollback that fails is not rolled back again. When it succeeds, the failed
 * promotion becomes {@code RolledBack}.
 */
public final class AutoRollback {
  /** Annotation on a rollback promotion: the promotion it undoes. */
  public static final String ROLLBACK_OF = PromotionAnnotations.ROLLBACK_OF;

  private AutoRollback() {}

  /**
   * The promotion that rolls {@code env} back after {@code failed}, or null when the environment
   * does not want it, has nothing to go back to, or {@code failed} was itself a rollback.
   */
  static Promotion of(Promotion failed, Environment env, String why) {
    if (failed.getMetadata().getAnnotations() != null
        && failed.getMetadata().getAnnotations().containsKey(ROLLBACK_OF)) {
      return null;
    }
    if (env == null
        || !Boolean.TRUE.equals(env.getSpec().rollbackOnFailure())
        || env.getStatus() == null
        || env.getStatus().getCurrent() == null
        || env.getStatus().getCurrent().release().equals(failed.getSpec().release())) {
      return null;
    }
    String previous = env.getStatus().getCurrent().release();
    Promotion rollback = new Promotion();
    rollback.getMetadata().setName(name(failed.getMetadata().getName()));
    rollback.getMetadata().setNamespace(failed.getMetadata().getNamespace());
    rollback.getMetadata().getAnnotations().put(ROLLBACK_OF, failed.getMetadata().getName());
    String reason = "automatic rollback: " + failed.getMetadata().getName() + " failed: " + why;
    rollback.setSpec(
        new PromotionSpec(
            previous,
            failed.getSpec().environment(),
            failed.getSpec().targets(),
            reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...",
            null,
            null));
    return rollback;
  }

  static String name(String promotion) {
    String name = promotion + "-rollback";
    return name.length() <= 253 ? name : promotion.substring(0, 244) + "-rollback";
  }
}
