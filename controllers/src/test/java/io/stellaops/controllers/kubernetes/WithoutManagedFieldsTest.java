package io.stellaops.controllers.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.api.Test;

class WithoutManagedFieldsTest {
  @Test
  void keepsObjectsWithoutTheirManagedFields() {
    ConfigMap decision =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("api-to-prod-decision")
            .withResourceVersion("42")
            .addToLabels("stellaops.io/record", "decision")
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("stella-operator")
                    .withOperation("Apply")
                    .build())
            .endMetadata()
            .addToData("decision.json", "{}")
            .build();
    var store = new WithoutManagedFields<ConfigMap>();
    store.put(store.getKey(decision), decision);
    ConfigMap cached = store.get("shop/api-to-prod-decision");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getLabels()).containsEntry("stellaops.io/record", "decision");
    assertThat(cached.getData()).containsEntry("decision.json", "{}");
  }
}
