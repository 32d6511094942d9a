package io.stellaops.decision.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.decision.DecisionInput;
import io.stellaops.decision.PromotionDecider;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.DsseVerificationException;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Offline verification of an evidence packet with nothing but the operator's public key: the DSSE
 * signature, the Statement's type, that the packet's fields say what the signed Statement says, and
 * that the recorded inputs hash to the recorded inputsHash. {@link #replay} recomputes the decision
 * from the recorded inputs and compares it byte for byte.
 */
public final class EvidenceVerifier {
  private EvidenceVerifier() {}

  /** The outcome: the signed Statement when it verified, and every problem found. */
  public record Result(JsonNode statement, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The outcome of a replay: the recorded and recomputed decisions in canonical JSON. */
  public record Replay(String recorded, String recomputed) {
    public boolean identical() {
      return recorded.equals(recomputed);
    }
  }

  public static Result verify(EvidencePacketSpec spec, PublicKey key) {
    List<String> problems = new ArrayList<>();
    var e = spec == null ? null : spec.envelope();
    if (e == null
        || e.payloadType() == null
        || e.payload() == null
        || e.signatures() == null
        || e.signatures().stream().anyMatch(sig -> sig == null || sig.sig() == null)) {
      // a packet read from a file need not be what the API server's schema admits
      return new Result(null, List.of("envelope: the packet holds no signed envelope"));
    }
    var envelope =
        new Envelope(
            e.payloadType(),
            e.payload(),
            e.signatures().stream().map(s -> new Envelope.Signature(s.keyid(), s.sig())).toList());
    JsonNode statement;
    try {
      statement = CanonicalJson.MAPPER.readTree(Dsse.verify(envelope, key));
    } catch (DsseVerificationException ex) {
      return new Result(null, List.of("signature: " + ex.getMessage()));
    } catch (IOException ex) {
      return new Result(null, List.of("payload: not JSON: " + ex.getMessage()));
    }
    if (!Statement.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      problems.add(
          "payloadType: expected " + Statement.PAYLOAD_TYPE + ", found " + envelope.payloadType());
    }
    if (!Statement.TYPE.equals(statement.path("_type").asText())) {
      problems.add(
          "_type: expected " + Statement.TYPE + ", found " + statement.path("_type").asText());
    }
    if (!PromotionEvidence.PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
      problems.add(
          "predicateType: expected "
              + PromotionEvidence.PREDICATE_TYPE
              + ", found "
              + statement.path("predicateType").asText());
    }
    JsonNode predicate = statement.path("predicate");
    same(problems, "promotion", spec.promotion(), predicate.path("promotion").asText());
    same(problems, "release", spec.release(), predicate.at("/inputs/release/name").asText());
    same(
        problems,
        "environment",
        spec.environment(),
        predicate.at("/inputs/environment/name").asText());
    same(
        problems,
        "decision",
        spec.decision(),
        PromotionEvidence.packetDecision(predicate.at("/decision/result").asText()));
    same(problems, "inputsHash", spec.inputsHash(), predicate.at("/decision/inputsHash").asText());
    String recomputedHash = CanonicalJson.digest(predicate.path("inputs"));
    same(
        problems,
        "inputsHash (recomputed from the recorded inputs)",
        spec.inputsHash(),
        recomputedHash);
    Set<String> signedSubjects = new HashSet<>();
    statement
        .path("subject")
        .forEach(s -> signedSubjects.add("sha256:" + s.at("/digest/sha256").asText()));
    Set<String> packetSubjects = new HashSet<>();
    if (spec.subject() != null) {
      spec.subject().forEach(s -> packetSubjects.add(s == null ? null : s.digest()));
    }
    if (!signedSubjects.equals(packetSubjects)) {
      problems.add(
          "subject: the packet lists "
              + packetSubjects
              + " but the signed Statement covers "
              + signedSubjects);
    }
    return new Result(statement, problems);
  }

  /** Recomputes the decision from a verified Statement's recorded inputs. */
  public static Replay replay(JsonNode statement) {
    try {
      JsonNode predicate = statement.path("predicate");
      DecisionInput inputs =
          CanonicalJson.MAPPER.treeToValue(predicate.path("inputs"), DecisionInput.class);
      if (inputs == null) {
        throw new IllegalArgumentException("the statement records no decision inputs");
      }
      String recorded =
          new String(
              CanonicalJson.bytes(predicate.path("decision")),
              java.nio.charset.StandardCharsets.UTF_8);
      String recomputed =
          new String(
              CanonicalJson.bytes(PromotionDecider.decide(inputs)),
              java.nio.charset.StandardCharsets.UTF_8);
      return new Replay(recorded, recomputed);
    } catch (IOException e) {
      // a required part missing or out of bounds comes as the record's IllegalArgumentException
      throw new IllegalArgumentException(
          "the recorded inputs cannot be read: " + e.getMessage(), e);
    }
  }

  private static void same(List<String> problems, String field, String packet, String signed) {
    if (packet == null || !packet.equals(signed)) {
      problems.add(
          field + ": the packet says " + packet + " but the signed Statement says " + signed);
    }
  }
}
