package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/**
 * The object a status patch is made from: name, namespace and status only, nothing else to clash.
 */
public final class StatusPatch {
  private StatusPatch() {}

  public static <S, T extends CustomResource<?, S>> T of(T resource, S status, Supplier<T> fresh) {
    T patch = fresh.get();
    patch.getMetadata().setName(resource.getMetadata().getName());
    patch.getMetadata().setNamespace(resource.getMetadata().getNamespace());
    patch.setStatus(status);
    return patch;
  }
}
