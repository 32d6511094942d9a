package io.stellaops.decision.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.evidencepacket.Envelope;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.JobRef;
import io.stellaops.decision.Decision;
import io.stellaops.decision.DecisionInput;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;

/**
 * Builds the signed evidence of a promotion: an in-toto Statement v1 whose subjects are the
 * release's component digests and whose predicate holds the recorded inputs, the decision, the jobs
 * and the timestamps, in a DSSE envelope.
 */
public final class PromotionEvidence {
  public static final String PREDICATE_TYPE = "https://stellaops.io/attestations/promotion/v1";

  private PromotionEvidence() {}

  /** The predicate. {@code inputs} and {@code decision} are what replay recomputes and compares. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Predicate(
      String namespace,
      String promotion,
      DecisionInput inputs,
      Decision decision,
      Timestamps timestamps,
      List<JobRef> jobs,
      String outcome) {}

  /** When things happened (RFC 3339). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Timestamps(
      String requested, String decided, String deployStarted, String deployFinished) {}

  public static EvidencePacket build(
      Predicate predicate, String ilmClass, PrivateKey key, String keyId) {
    List<ComponentDigest> subject =
        predicate.inputs().release().components().stream()
            .filter(c -> c.digest() != null)
            .map(c -> new ComponentDigest(c.name(), c.image(), c.digest()))
            .toList();
    if (subject
        .isEmpty()) { // nothing was pinned (a denial): the subject is the release record itself
      subject =
          List.of(
              new ComponentDigest(
                  "release",
                  "stellaops.io/releases/" + predicate.inputs().release().name(),
                  CanonicalJson.digest(predicate.inputs().release())));
    }
    var statement =
        Statement.of(
            subject.stream()
                .map(c ->
                    new Statement.Subject(
                        c.image() + "@" + c.digest(), Map.of("sha256", Sha256.hexOf(c.digest()))))
                .toList(),
            PREDICATE_TYPE,
            predicate);
    var envelope = Dsse.sign(Statement.PAYLOAD_TYPE, CanonicalJson.bytes(statement), key, keyId);
    EvidencePacket packet = new EvidencePacket();
    packet.getMetadata().setName(predicate.promotion());
    packet.getMetadata().setNamespace(predicate.namespace());
    // evidence is protected from its first moment: only the lifecycle controller removes it
    packet.getMetadata().setFinalizers(List.of(IlmMetadata.FINALIZER));
    packet.setSpec(
        new EvidencePacketSpec(
            predicate.promotion(),
            predicate.inputs().release().name(),
            predicate.inputs().environment().name(),
            packetDecision(predicate.decision().result()),
            predicate.decision().inputsHash(),
            subject,
            new Envelope(
                envelope.payloadType(),
                envelope.payload(),
                envelope.signatures().stream()
                    .map(s -> new Envelope.Signature(s.keyid(), s.sig()))
                    .toList()),
            artifacts(predicate.jobs()),
            ilmClass));
    return packet;
  }

  /**
   * The packet's decision: only an allow decision reads allow; deny, superseded or pending deny.
   */
  public static String packetDecision(String decisionResult) {
    return Decision.ALLOW.equals(decisionResult) ? "allow" : "deny";
  }

  /**
   * The artifacts the jobs reported, named {@code <target>/<artifact>} (at most 64, the schema's
   * limit); null when no job reported any (a denial has no jobs).
   */
  static List<ArtifactRef> artifacts(List<JobRef> jobs) {
    if (jobs == null) {
      return null;
    }
    List<ArtifactRef> all =
        jobs.stream()
            .filter(j -> j.artifacts() != null)
            .flatMap(j ->
                j.artifacts().stream()
                    .map(a ->
                        new ArtifactRef(
                            j.target() + "/" + a.name(), a.digest(), a.mediaType(), a.location())))
            .limit(64)
            .toList();
    return all.isEmpty() ? null : all;
  }
}
