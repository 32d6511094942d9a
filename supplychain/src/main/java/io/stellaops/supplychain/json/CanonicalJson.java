package io.stellaops.supplychain.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stellaops.supplychain.digest.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 (JCS) canonical JSON: the byte form decision inputs are hashed and evidence is signed
 * in, so equal data always hashes equal whatever map order, whitespace or number spelling it came
 * with.
 */
public final class CanonicalJson {
  /** The mapper used to turn values into JSON before canonicalisation. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

  private CanonicalJson() {}

  /** Canonical UTF-8 bytes of {@code value} (a record, map, list or Jackson tree). */
  public static byte[] bytes(Object value) {
    try {
      return canonicalize(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Canonical UTF-8 bytes of a JSON document. */
  public static byte[] canonicalize(byte[] json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException e) {
      throw new UncheckedIOException("not canonicalisable JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The OCI digest of the canonical form of {@code value}: the {@code inputsHash} of a decision.
   */
  public static String digest(Object value) {
    return Sha256.digest(bytes(value));
  }
}
