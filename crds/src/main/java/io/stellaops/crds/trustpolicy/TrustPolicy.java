package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which images must be signed by whom. Cluster-scoped. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames("tp")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TrustPolicy extends CustomResource<TrustPolicySpec, TrustPolicyStatus> {
  @Override
  @JsonPropertyDescription(
      "Image globs, the authorities that must have signed them, and required attestations.")
  @Required
  public TrustPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Whether keys and trust roots loaded, and the policy hash verdicts are cached under.")
  public TrustPolicyStatus getStatus() {
    return super.getStatus();
  }
}
