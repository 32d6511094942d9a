package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that keeps objects without their managedFields: the API server's record of
 * which client set which field, a list per writer about as long as the object, that no controller
 * reads (the Agent controller's Lease informer keeps them: liveness is timed by their stamps). A
 * status patch built from a cached object leaves the server's record as it is. For the kinds there
 * are thousands of (Releases, Promotions, their jobs and decision records).
 */
public class WithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {
  public WithoutManagedFields() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T object) {
    object.getMetadata().setManagedFields(null);
    return super.put(key, object);
  }
}
