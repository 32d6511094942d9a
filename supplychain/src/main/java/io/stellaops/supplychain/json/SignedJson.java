package io.stellaops.supplychain.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads JSON whose bytes were signed (simple-signing payloads, in-toto statements, DSSE envelopes,
 * Sigstore bundles, transparency log entries) so that it can mean only one thing. cosign reads the
 * same bytes with Go's encoding/json, which matches object keys to fields case-insensitively (under
 * Unicode case folding: {@code "Critical"} and even {@code "ſubject"} fill {@code critical} and
 * {@code subject}) and lets a later duplicate win; Jackson matches exactly and ignores the rest. A
 * payload carrying {@code "critical"} for one digest and {@code "Critical"} for another would then
 * be believed differently by cosign and by us. So a key that repeats another of the same object
 * under case folding, and anything after the document, is refused, naming the key: an ambiguous
 * signed document is not one anybody should act on.
 */
public final class SignedJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private SignedJson() {}

  /**
   * A signed document we will not act on: it does not say one thing, or not what it must; the
   * message names the key or the problem.
   */
  public static final class Rejected extends Exception {
    public Rejected(String message) {
      super(message);
    }
  }

  /**
   * The document in {@code bytes}, refused when it is not exactly one JSON value or an object
   * repeats a key, exactly or under case folding.
   */
  public static JsonNode read(byte[] bytes) throws Rejected {
    checkKeys(bytes);
    try {
      JsonNode tree = MAPPER.readTree(bytes);
      if (tree == null || tree.isMissingNode()) {
        throw new Rejected("is empty");
      }
      return tree;
    } catch (IOException e) {
      throw new Rejected("is not one JSON document: " + originalMessage(e));
    }
  }

  /**
   * The member of {@code object} that Go's encoding/json would decode into a struct field tagged
   * {@code name}: the key equal to it under case folding (unique once {@link #read} accepted the
   * document), else a missing node. Map keys (an in-toto subject's digests) are matched exactly.
   */
  public static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null || !object.isObject()) {
      return exact != null ? exact : object.path(name);
    }
    String folded = fold(name);
    for (var entry : object.properties()) {
      if (fold(entry.getKey()).equals(folded)) {
        return entry.getValue();
      }
    }
    return object.path(name);
  }

  /** The text at {@code path} (struct fields, outermost first), null when absent or not text. */
  public static String text(JsonNode node, String... path) {
    for (String name : path) {
      node = field(node, name);
    }
    return node.isTextual() ? node.asText() : null;
  }

  private static void checkKeys(byte[] bytes) throws Rejected {
    Deque<Map<String, String>> objects = new ArrayDeque<>();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        switch (token) {
          case START_OBJECT -> objects.push(new HashMap<>());
          case END_OBJECT -> objects.pop();
          case FIELD_NAME -> {
            String key = parser.currentName();
            String earlier = objects.peek().putIfAbsent(fold(key), key);
            if (earlier != null) {
              throw new Rejected(
                  "repeats the key \""
                      + earlier
                      + "\""
                      + (earlier.equals(key) ? "" : " as \"" + key + "\"")
                      + " in one object (Go's encoding/json, which cosign uses, matches keys"
                      + " case-insensitively and lets the last win)");
            }
          }
          default -> {}
        }
        if (objects.isEmpty() && parser.getParsingContext().inRoot()) {
          if (token.isStructEnd() || token.isScalarValue()) {
            if (parser.nextToken() != null) {
              throw new Rejected("has content after its JSON document");
            }
            return;
          }
        }
      }
    } catch (IOException e) {
      throw new Rejected("is not JSON: " + originalMessage(e));
    }
  }

  private static String originalMessage(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JacksonException j
        ? j.getOriginalMessage()
        : e.getMessage();
  }

  /**
   * Unicode simple case folding, as Go's {@code bytes.EqualFold} (so Kelvin sign and {@code k}, or
   * long s and {@code s}, fold together): upper then lower case of each code point.
   */
  static String fold(String key) {
    StringBuilder folded = new StringBuilder(key.length());
    key.codePoints()
        .forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return folded.toString();
  }
}
