package io.stellaops.crds.deploymentjob;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One unit of agent work: deploy, roll back or verify one release on one target. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("dj")
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agent")
@AdditionalPrinterColumn(name = "Action", jsonPath = ".spec.action")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DeploymentJob extends CustomResource<DeploymentJobSpec, DeploymentJobStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription(
      "What the agent must do. Written by the promotion controller; immutable.")
  @Required
  public DeploymentJobSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the agent did. Only the assigned agent's service account may write it.")
  public DeploymentJobStatus getStatus() {
    return super.getStatus();
  }
}
