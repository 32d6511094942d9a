package io.stellaops.crds.common;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Refuses an API record in which a field its schema requires ({@link Required}) is absent, or a
 * list or string is longer than its schema allows ({@link Size}). The API server enforces both for
 * every object it admits, but mutating webhooks see objects before that, and recorded inputs read
 * back from evidence were never admitted: neither may fail half-way on them or take unbounded time,
 * so they are refused whole, naming the field.
 */
public final class SchemaBounds {
  private SchemaBounds() {}

  /** Checks {@code value} and every record within it; {@code path} names it in the message. */
  public static void check(String path, Object value) {
    if (value instanceof Record record) {
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        Object field = read(c, record);
        String at = path + "." + c.getName();
        if (field == null && c.getAccessor().isAnnotationPresent(Required.class)) {
          throw new IllegalArgumentException(at + " is required");
        }
        Size size = c.getAccessor().getAnnotation(Size.class);
        long length =
            field instanceof Collection<?> items
                ? items.size()
                : field instanceof String text ? text.length() : -1;
        if (size != null && length > size.max()) {
          throw new IllegalArgumentException(
              at + " has " + length + " entries or characters, more than " + size.max());
        }
        if (field instanceof List<?> items
            && c.getAnnotatedType() instanceof AnnotatedParameterizedType listType) {
          // List<@Size(max = …) String>: each element's bound
          Size each = listType.getAnnotatedActualTypeArguments()[0].getAnnotation(Size.class);
          for (int i = 0; each != null && i < items.size(); i++) {
            if (items.get(i) instanceof String text && text.length() > each.max()) {
              throw new IllegalArgumentException(
                  at + "[" + i + "] has " + text.length() + " characters, more than " + each.max());
            }
          }
        }
        check(at, field);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == null) {
          throw new IllegalArgumentException(path + "[" + i + "] is null");
        }
        check(path + "[" + i + "]", list.get(i));
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> check(path + "." + k, v));
    }
  }

  private static Object read(RecordComponent c, Record record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }
}
