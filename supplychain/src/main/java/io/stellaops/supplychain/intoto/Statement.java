package io.stellaops.supplychain.intoto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.json.SignedJson;
import java.util.List;
import java.util.Map;

/** An in-toto Statement v1 (in-toto/attestation, spec/v1/statement.md). */
public record Statement(
    @JsonProperty("_type") String type,
    List<Subject> subject,
    String predicateType,
    Object predicate) {
  public static final String TYPE = "https://in-toto.io/Statement/v1";
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  public Statement {
    subject = List.copyOf(subject);
  }

  /** A Statement v1 about {@code subject}. */
  public static Statement of(List<Subject> subject, String predicateType, Object predicate) {
    return new Statement(TYPE, subject, predicateType, predicate);
  }

  /** A subject: a name and its digests by algorithm ({@code sha256 → hex}). */
  public record Subject(String name, Map<String, String> digest) {
    public Subject {
      digest = Map.copyOf(digest);
    }
  }

  /**
   * The statement {@code envelope} carries, read as cosign reads an attestation: the payload type
   * must be in-toto's (any other type signs something that is not a statement), the payload one
   * unambiguous JSON object ({@link SignedJson}).
   */
  public static JsonNode read(Envelope envelope) throws SignedJson.Rejected {
    if (!PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new SignedJson.Rejected(
          "has payloadType " + envelope.payloadType() + ", not " + PAYLOAD_TYPE);
    }
    byte[] payload;
    try {
      payload = envelope.payloadBytes();
    } catch (IllegalArgumentException e) {
      throw new SignedJson.Rejected("has a payload that is not base64: " + e.getMessage());
    }
    JsonNode statement;
    try {
      statement = SignedJson.read(payload);
    } catch (SignedJson.Rejected e) {
      throw new SignedJson.Rejected("has a statement that " + e.getMessage());
    }
    if (!statement.isObject()) {
      throw new SignedJson.Rejected("has a payload that is not an in-toto statement");
    }
    return statement;
  }

  /** The predicate type of a statement {@link #read} returned, null when it has none. */
  public static String predicateType(JsonNode statement) {
    return SignedJson.text(statement, "predicateType");
  }

  /** The predicate of a statement {@link #read} returned. */
  public static JsonNode predicate(JsonNode statement) {
    return SignedJson.field(statement, "predicate");
  }

  /**
   * Whether the statement names {@code digest} among its subjects, compared as cosign does: the
   * {@code sha256} entry, exactly.
   */
  public static boolean names(JsonNode statement, String digest) {
    String hex = Sha256.hexOf(digest);
    for (JsonNode subject : SignedJson.field(statement, "subject")) {
      if (hex.equals(SignedJson.field(subject, "digest").path("sha256").asText(null))) {
        return true;
      }
    }
    return false;
  }
}
