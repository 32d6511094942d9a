package io.stellaops.supplychain.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON-shaped values as CEL expects them: maps, lists, strings, booleans, int64 and double. */
public final class CelValues {
  private CelValues() {}

  /** {@code value} as JSON-shaped maps and lists with CEL's number type (int64) for integers. */
  public static Object tree(Object value) {
    return normalise(CanonicalJson.MAPPER.convertValue(value, Object.class));
  }

  private static Object normalise(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CelValues::normalise).toList();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof java.math.BigInteger b) {
      return b.longValue();
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.doubleValue();
    }
    return value == null ? Map.of() : value;
  }
}
