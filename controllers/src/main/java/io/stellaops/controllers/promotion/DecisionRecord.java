package io.stellaops.controllers.promotion;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.controllers.kubernetes.OwnerReferences;
import io.stellaops.crds.common.LabelValues;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.decision.Decision;
import io.stellaops.decision.DecisionInput;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A final decision, written once to an immutable ConfigMap owned by the promotion before anything
 * acts on it. After a restart the controller reads it back instead of deciding again, so a
 * promotion never gets a second decision (and its evidence always matches the first).
 */
public record DecisionRecord(
    DecisionInput inputs, Decision decision, String decidedAt, String note) {
  public DecisionRecord(DecisionInput inputs, Decision decision, String decidedAt) {
    this(inputs, decision, decidedAt, null);
  }

  static final String INPUTS = "inputs.json";
  static final String DECISION = "decision.json";
  static final String DECIDED_AT = "decidedAt";
  static final String NOTE = "note";

  public static String name(Promotion promotion) {
    return promotion.getMetadata().getName() + "-decision";
  }

  /** Records the decision; if another writer recorded one first, returns that one instead. */
  public static DecisionRecord create(
      KubernetesClient client, Promotion promotion, DecisionRecord record) {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name(promotion))
            .withNamespace(promotion.getMetadata().getNamespace())
            .addToLabels(
                "stellaops.io/promotion", LabelValues.of(promotion.getMetadata().getName()))
            .addToLabels(IlmMetadata.RECORD, IlmMetadata.DECISION_RECORD)
            .addToFinalizers(IlmMetadata.FINALIZER)
            .addToOwnerReferences(OwnerReferences.controlledBy(promotion))
            .endMetadata()
            .withImmutable(true)
            .withData(data(record))
            .build();
    return parse(CreateOnce.createOrGet(client, cm));
  }

  /** Whether {@code other} records the same decision at the same time (compared canonically). */
  boolean sameDecision(DecisionRecord other) {
    return decidedAt.equals(other.decidedAt)
        && java.util.Arrays.equals(
            CanonicalJson.bytes(decision), CanonicalJson.bytes(other.decision));
  }

  private static Map<String, String> data(DecisionRecord record) {
    Map<String, String> data = new java.util.TreeMap<>();
    data.put(INPUTS, utf8(CanonicalJson.bytes(record.inputs())));
    data.put(DECISION, utf8(CanonicalJson.bytes(record.decision())));
    data.put(DECIDED_AT, record.decidedAt());
    if (record.note() != null) {
      data.put(NOTE, record.note());
    }
    return data;
  }

  static DecisionRecord parse(ConfigMap cm) {
    try {
      return new DecisionRecord(
          CanonicalJson.MAPPER.readValue(cm.getData().get(INPUTS), DecisionInput.class),
          CanonicalJson.MAPPER.readValue(cm.getData().get(DECISION), Decision.class),
          cm.getData().get(DECIDED_AT),
          cm.getData().get(NOTE));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "decision record " + cm.getMetadata().getName() + " is unreadable", e);
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
