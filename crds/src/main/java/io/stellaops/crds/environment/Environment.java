package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A stage releases are promoted through (dev, stage, prod), with its rules of entry. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("env")
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.current.version")
@AdditionalPrinterColumn(
    name = "Frozen",
    jsonPath = ".status.frozen",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Environment extends CustomResource<EnvironmentSpec, EnvironmentStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("Rules a release must satisfy to enter this environment.")
  @Required
  public EnvironmentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What runs here now, what ran before, and whether the environment is frozen.")
  public EnvironmentStatus getStatus() {
    return super.getStatus();
  }
}
