package io.stellaops.controllers.ilmclass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.controllers.archive.ArchivedObjects;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The archive of one governed object: the object and what it references (its promotion, decision
 * record, jobs and approvals), each as JSON under {@code objects/<Kind>/<name>.json}; for an
 * EvidencePacket also {@code evidence/} laid out as {@code kubectl stella evidence export} writes
 * it (packet, DSSE envelope, decoded statement, the operator's public key), so {@code kubectl
 * stella evidence verify --archive} checks it offline. Bookkeeping that changes with every write
 * (resourceVersion, managedFields, ILM annotations) is left out, so archiving an object twice makes
 * the same bundle.
 */
final class ArchiveBundles {
  static final String ARTIFACT_TYPE = "application/vnd.stellaops.ilm.archive.v1";

  private ArchiveBundles() {}

  static Bundle of(
      Governed g,
      IlmClass cls,
      String reason,
      List<HasMetadata> related,
      String publicKeyPem,
      KubernetesSerialization serialization) {
    Map<String, byte[]> files = new TreeMap<>();
    files.put(ArchivedObjects.path(g.object()), ArchivedObjects.json(g.object(), serialization));
    for (HasMetadata other : related) {
      files.put(ArchivedObjects.path(other), ArchivedObjects.json(other, serialization));
    }
    if (g.object() instanceof EvidencePacket packet) {
      var spec = packet.getSpec();
      files.putAll(ArchivedObjects.evidence(spec, "evidence/"));
      files.put("evidence/cosign.pub", publicKeyPem.getBytes(StandardCharsets.UTF_8));
    }
    ObjectNode about = CanonicalJson.MAPPER.createObjectNode();
    about.put("apiVersion", "stellaops.io/ilm-archive/v1");
    about.put("kind", g.kind().name());
    about.put("namespace", g.namespace());
    about.put("name", g.name());
    about.put("uid", g.object().getMetadata().getUid());
    about.put("created", g.object().getMetadata().getCreationTimestamp());
    about.put("ilmClass", cls.getMetadata().getName());
    about.put("reason", reason);
    return Bundle.of(files, about);
  }

  /** The tag (and S3 key) an object's archive goes under: {@code <namespace>.<Kind>.<name>}. */
  static String tag(Governed g) {
    String tag = g.namespace() + "." + g.kind().name() + "." + g.name();
    return tag.length() <= 128
        ? tag
        : g.kind().name()
            + "."
            + io.stellaops.supplychain.digest.Sha256.hex(
                    (g.namespace() + "/" + g.name()).getBytes(StandardCharsets.UTF_8))
                .substring(0, 40);
  }
}
