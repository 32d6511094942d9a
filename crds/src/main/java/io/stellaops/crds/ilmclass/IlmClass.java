package io.stellaops.crds.ilmclass;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An artifact lifecycle class: how long evidence and artifacts are kept. Cluster-scoped. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("ilm")
@AdditionalPrinterColumn(name = "Retention", jsonPath = ".spec.retention")
@AdditionalPrinterColumn(
    name = "Legal Hold",
    jsonPath = ".spec.legalHold",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Default",
    jsonPath = ".spec.default",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IlmClass extends CustomResource<IlmClassSpec, IlmClassStatus> {
  @Override
  @JsonPropertyDescription("Retention rules of this class.")
  @Required
  public IlmClassSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("How many objects the class governs and which purges are coming.")
  public IlmClassStatus getStatus() {
    return super.getStatus();
  }
}
