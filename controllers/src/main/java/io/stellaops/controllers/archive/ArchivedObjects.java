package io.stellaops.controllers.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.supplychain.json.CanonicalJson;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An object as archives and exports keep it: canonical JSON without the bookkeeping that changes
 * with every write (resourceVersion, managedFields, ILM annotations, finalizers), so the same
 * object always makes the same bytes.
 */
public final class ArchivedObjects {
  private ArchivedObjects() {}

  /** {@code object}'s canonical JSON, bookkeeping left out. */
  public static byte[] json(HasMetadata object, KubernetesSerialization serialization) {
    ObjectNode json = (ObjectNode) serialization.convertValue(object, JsonNode.class);
    ObjectNode metadata = (ObjectNode) json.path("metadata");
    metadata.remove(List.of("resourceVersion", "managedFields", "generation"));
    if (metadata.path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(List.of(IlmMetadata.EXPIRES_AT, IlmMetadata.PINNED));
      if (annotations.isEmpty()) {
        metadata.remove("annotations");
      }
    }
    if (metadata.path("labels") instanceof ObjectNode labels) {
      labels.remove(IlmMetadata.CLASS);
      if (labels.isEmpty()) {
        metadata.remove("labels");
      }
    }
    metadata.remove(List.of("finalizers", "deletionTimestamp", "deletionGracePeriodSeconds"));
    if (object instanceof EvidencePacket) {
      json.remove("status"); // only lifecycle bookkeeping: the packet is its spec
    }
    return CanonicalJson.bytes(json);
  }

  /** Where a bundle keeps {@code object}: {@code objects/<Kind>/<name>.json}. */
  public static String path(HasMetadata object) {
    return "objects/" + object.getKind() + "/" + object.getMetadata().getName() + ".json";
  }

  /**
   * A packet's files under {@code dir}, laid out as {@code kubectl stella evidence export} writes
   * them: the packet, its DSSE envelope and the decoded Statement.
   */
  public static Map<String, byte[]> evidence(EvidencePacketSpec spec, String dir) {
    return Map.of(
        dir + "packet.json", CanonicalJson.bytes(spec),
        dir + "envelope.dsse.json", CanonicalJson.bytes(spec.envelope()),
        dir + "statement.json", Base64.getDecoder().decode(spec.envelope().payload()));
  }
}
