package io.stellaops.crds.agent;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A remote agent: deploys the DeploymentJobs assigned to it; alive while it renews its Lease. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("agt")
@ValidationRule(
    value = "self.metadata.name.size() <= 63",
    message =
        "an Agent's name labels its Lease and DeploymentJobs, and label values hold at most 63 characters",
    reason = "FieldValueInvalid")
@AdditionalPrinterColumn(name = "Service Account", jsonPath = ".spec.serviceAccountName")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version")
@AdditionalPrinterColumn(
    name = "Heartbeat",
    jsonPath = ".status.lastHeartbeatTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Agent extends CustomResource<AgentSpec, AgentStatus> implements Namespaced {
  @Override
  @JsonPropertyDescription("Who the agent is and what it can do.")
  @Required
  public AgentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Liveness (from its Lease), version and reported capabilities.")
  public AgentStatus getStatus() {
    return super.getStatus();
  }
}
