package io.stellaops.supplychain.intoto;

import com.fasterxml.jackson.annotation.JsonProperty;
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
}
