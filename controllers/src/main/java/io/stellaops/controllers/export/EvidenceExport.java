package io.stellaops.controllers.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.controllers.archive.ArchivedObjects;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.export.Export;
import io.stellaops.crds.export.ExportSpec;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code evidence} profile's bundle: every selected EvidencePacket (packet, DSSE envelope,
 * decoded Statement) under {@code evidence/<name>/}, what it references under {@code
 * objects/<Kind>/}, one {@code releases/<release>/release.evidence.json} per release, and under
 * {@code keys/} the evidence keyring and the public key of every key that signed a packet. Pure:
 * the same objects make the same bundle, so a retried or re-created Export has the same digest.
 */
final class EvidenceExport {

  private EvidenceExport() {}

  /** What an Export found in its namespace, and the keyring published when it ran. */
  record Found(
      List<EvidencePacket> packets,
      Map<String, Promotion> promotions,
      Map<String, List<HasMetadata>> byPromotion,
      Map<String, Release> releases,
      EvidenceKeyring keyring) {}

  /** The packets {@code selector} selects, by name. */
  static List<EvidencePacket> select(List<EvidencePacket> packets, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    if (selector == null) {
      return packets.stream().sorted(BY_NAME).toList();
    }
    Instant since = instant("since", selector.since());
    Instant until = instant("until", selector.until());
    return packets.stream()
        .filter(p -> {
          var spec = p.getSpec();
          Instant created = Instant.parse(p.getMetadata().getCreationTimestamp());
          return (selector.environments() == null
                  || selector.environments().contains(spec.environment()))
              && (selector.releases() == null || selector.releases().contains(spec.release()))
              && (since == null || !created.isBefore(since))
              && (until == null || created.isBefore(until));
        })
        .sorted(BY_NAME)
        .toList();
  }

  private static final Comparator<EvidencePacket> BY_NAME =
      Comparator.comparing(p -> p.getMetadata().getName());

  /** An RFC 3339 time of the selector; the schema's pattern lets through days such as Feb 30. */
  private static Instant instant(String field, String rfc3339) throws ExportBundles.Refused {
    try {
      return rfc3339 == null ? null : OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      throw new ExportBundles.Refused(
          "spec.selector." + field + " " + rfc3339 + " is not a time: " + e.getMessage());
    }
  }

  static ExportBundles.Contents of(
      Export export,
      ExportSpec.Selector selector,
      Found found,
      String operatorVersion,
      KubernetesSerialization serialization)
      throws ExportBundles.Refused {
    Map<String, byte[]> files = new TreeMap<>();
    Map<String, Integer> objects = new TreeMap<>();
    TreeSet<String> signers = new TreeSet<>();
    Map<String, List<EvidencePacket>> byRelease = new TreeMap<>();
    for (EvidencePacket packet : found.packets()) {
      var spec = packet.getSpec();
      files.putAll(
          ArchivedObjects.evidence(spec, "evidence/" + packet.getMetadata().getName() + "/"));
      count(objects, "EvidencePacket");
      spec.envelope().signatures().forEach(s -> signers.add(s.keyid()));
      byRelease.computeIfAbsent(spec.release(), r -> new ArrayList<>()).add(packet);
      Promotion promotion = found.promotions().get(spec.promotion());
      if (promotion != null) {
        add(files, objects, promotion, serialization);
      }
      for (HasMetadata other : found.byPromotion().getOrDefault(spec.promotion(), List.of())) {
        add(files, objects, other, serialization);
      }
    }
    for (var release : byRelease.entrySet()) {
      Release object = found.releases().get(release.getKey());
      if (object != null) {
        add(files, objects, object, serialization);
      }
      files.put(
          "releases/" + release.getKey() + "/release.evidence.json",
          releaseEvidence(release.getKey(), object, release.getValue(), found.promotions()));
    }
    for (String signer : signers) {
      var key = found.keyring().find(signer);
      if (key.isEmpty()) {
        throw new ExportBundles.Refused(
            "evidence signed by key "
                + signer
                + " cannot be exported verifiably: the published evidence keyring does not list"
                + " it (kubectl stella keys list)");
      }
      files.put("keys/" + signer + ".pub", key.get().publicKey().getBytes(StandardCharsets.UTF_8));
    }
    files.put("README.md", readme(export).getBytes(StandardCharsets.UTF_8));
    return new ExportBundles.Contents(
        ExportBundles.of(
            export, selector, "evidence", files, objects, found.keyring(), operatorVersion),
        objects,
        List.copyOf(signers));
  }

  private static void add(
      Map<String, byte[]> files,
      Map<String, Integer> objects,
      HasMetadata object,
      KubernetesSerialization serialization) {
    if (files.put(ArchivedObjects.path(object), ArchivedObjects.json(object, serialization))
        == null) {
      count(objects, kindOf(object));
    }
  }

  /** The kind as users know it: a promotion's decision ConfigMap is its DecisionRecord. */
  private static String kindOf(HasMetadata object) {
    return object instanceof io.fabric8.kubernetes.api.model.ConfigMap
        ? "DecisionRecord"
        : object.getKind();
  }

  private static void count(Map<String, Integer> objects, String kind) {
    objects.merge(kind, 1, Integer::sum);
  }

  /**
   * Which digests of a release were promoted where, by which promotion, with which decision and
   * evidence: one file an auditor reads first.
   */
  private static byte[] releaseEvidence(
      String name,
      Release release,
      List<EvidencePacket> packets,
      Map<String, Promotion> promotions) {
    ObjectNode json = CanonicalJson.MAPPER.createObjectNode();
    json.put("apiVersion", "stellaops.io/release-evidence/v1");
    json.put("release", name);
    if (release != null) {
      json.put("version", release.getSpec().version());
      ArrayNode components = json.putArray("components");
      release
          .getSpec()
          .components()
          .forEach(c ->
              components
                  .addObject()
                  .put("name", c.name())
                  .put("image", c.image())
                  .put("digest", c.digest()));
    }
    ArrayNode promoted = json.putArray("promotions");
    packets.stream()
        .sorted(
            Comparator.comparing((EvidencePacket p) -> p.getMetadata().getCreationTimestamp())
                .thenComparing(p -> p.getMetadata().getName()))
        .forEach(p -> {
          var spec = p.getSpec();
          ObjectNode entry = promoted.addObject();
          entry.put("promotion", spec.promotion());
          entry.put("environment", spec.environment());
          entry.put("decision", spec.decision());
          entry.put("decidedAt", p.getMetadata().getCreationTimestamp());
          Promotion promotion = promotions.get(spec.promotion());
          if (promotion != null
              && promotion.getStatus() != null
              && promotion.getStatus().getPhase() != null) {
            entry.put("phase", promotion.getStatus().getPhase().name());
          }
          entry.put("evidence", "evidence/" + p.getMetadata().getName() + "/");
          entry.put("inputsHash", spec.inputsHash());
          entry.put("signedBy", spec.envelope().signatures().getFirst().keyid());
          ArrayNode digests = entry.putArray("digests");
          spec.subject()
              .forEach(s ->
                  digests
                      .addObject()
                      .put("name", s.name())
                      .put("image", s.image())
                      .put("digest", s.digest()));
        });
    return CanonicalJson.bytes(json);
  }

  private static String readme(Export export) {
    return """
    # Evidence export %s/%s

    | path | what |
    |---|---|
    | `evidence/<packet>/` | each EvidencePacket: `packet.json`, `envelope.dsse.json` (signed in-toto Statement), `statement.json` (decoded) |
    | `releases/<release>/release.evidence.json` | which digests of the release went where, by which promotion and decision |
    | `objects/<Kind>/<name>.json` | the promotions, decision records, approvals, jobs and releases the evidence references |
    | `keys/<key id>.pub` | every key that signed a packet |
    """
            .formatted(export.getMetadata().getNamespace(), export.getMetadata().getName())
        + ExportBundles.VERIFY;
  }
}
