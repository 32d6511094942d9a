package io.stellaops.webhooks;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.crds.common.SchemaBounds;

/**
 * Reads an admission request's object as its kind. Mutating webhooks run before the API server
 * checks the object against its schema, so they may see what it will refuse (no spec, a list
 * holding null, a string where a list belongs): such an object is refused here, naming the field,
 * instead of failing the webhook (a 500 the client would retry).
 */
public final class AdmittedObjects {
  private AdmittedObjects() {}

  /** Thrown for an object that is not a readable {@code type}; AdmissionServer denies with it. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message);
    }
  }

  public static <T extends CustomResource<?, ?>> T read(
      KubernetesSerialization serialization, Object object, Class<T> type) {
    T typed;
    try {
      typed = serialization.convertValue(object, type);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(where(e) + ": " + firstLine(e));
    }
    if (typed.getSpec() == null) {
      throw new Unreadable("spec: Required value");
    }
    try {
      SchemaBounds.check("spec", typed.getSpec());
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
    return typed;
  }

  /** The field Jackson stopped at, as {@code spec.components[0].digest}. */
  private static String where(IllegalArgumentException e) {
    if (!(e.getCause() instanceof JsonMappingException mapping)) {
      return "the object";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : mapping.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "the object" : path.toString();
  }

  private static String firstLine(IllegalArgumentException e) {
    String message =
        e.getCause() instanceof JsonMappingException mapping
            ? mapping.getOriginalMessage()
            : e.getMessage();
    String line = message == null ? "cannot be read" : message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
