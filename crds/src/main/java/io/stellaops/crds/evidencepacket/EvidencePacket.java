package io.stellaops.crds.evidencepacket;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The signed, immutable record of one promotion decision. */
@Group("stellaops.io")
@Version("v1alpha1")
@ShortNames({"evidence", "evp"})
@AdditionalPrinterColumn(name = "Promotion", jsonPath = ".spec.promotion")
@AdditionalPrinterColumn(name = "Decision", jsonPath = ".spec.decision")
@AdditionalPrinterColumn(name = "ILM", jsonPath = ".spec.ilmClass")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EvidencePacket extends CustomResource<EvidencePacketSpec, EvidencePacketStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription("The DSSE envelope and what it covers. Immutable after creation.")
  @Required
  public EvidencePacketSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Lifecycle of the packet under its ILM class.")
  public EvidencePacketStatus getStatus() {
    return super.getStatus();
  }
}
