package io.stellaops.controllers.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/**
 * The object a status patch is made from: name, namespace and status only, nothing else to clash.
 */
public final class StatusPatch {
  private StatusPatch() {}

  /**
   * A status patch, or no update when {@code status} says exactly what {@code resource}'s status
   * says already (compared as JSON), so an unchanged status costs the API server nothing. {@code
   * status} must be a copy, not {@code resource}'s own status object changed in place.
   */
  public static <S, T extends CustomResource<?, S>> UpdateControl<T> ifChanged(
      T resource, S status, Supplier<T> fresh, KubernetesSerialization serialization) {
    if (resource.getStatus() != null
        && serialization
            .convertValue(resource.getStatus(), JsonNode.class)
            .equals(serialization.convertValue(status, JsonNode.class))) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(of(resource, status, fresh));
  }

  /** The patch that writes {@code status}; says in the log when it stalls the object. */
  public static <S, T extends CustomResource<?, S>> T of(T resource, S status, Supplier<T> fresh) {
    StalledLog.onWrite(resource, resource.getStatus(), status);
    T patch = fresh.get();
    patch.getMetadata().setName(resource.getMetadata().getName());
    patch.getMetadata().setNamespace(resource.getMetadata().getNamespace());
    patch.setStatus(status);
    return patch;
  }
}
