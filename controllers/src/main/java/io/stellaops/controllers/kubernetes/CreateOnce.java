package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Objects with names derived from what they record are created exactly once: whoever loses the race
 * (another replica, a restarted operator) gets the existing object instead of an error.
 */
public final class CreateOnce {
  private CreateOnce() {}

  /** Creates {@code desired}, or returns the object that already has its name. */
  public static <T extends HasMetadata> T createOrGet(KubernetesClient client, T desired) {
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return client.resource(desired).get();
      }
      throw e;
    }
  }

  /**
   * Creates {@code desired} unless an object of its name exists; true when this call created it.
   */
  public static <T extends HasMetadata> boolean createIfAbsent(KubernetesClient client, T desired) {
    try {
      client.resource(desired).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }
}
