package io.stellaops.webhooks;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.util.ArrayList;
import java.util.List;

/** Every violation of one request, each with its field path; denied once, all together. */
public final class Violations {
  private final List<String> items = new ArrayList<>();

  public void add(String fieldPath, String message) {
    items.add(fieldPath + ": " + message);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public AdmissionResponse deny() {
    return AdmissionServer.deny(422, String.join("; ", items));
  }
}
