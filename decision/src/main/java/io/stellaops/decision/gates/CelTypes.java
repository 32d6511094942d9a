package io.stellaops.decision.gates;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import io.stellaops.supplychain.json.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CEL types of the Java records a rule's variables are built from, read the way {@link
 * io.stellaops.supplychain.json.CelValues} serialises them (Jackson's property names and types), so
 * the rule checker knows every field a variable has and its type: a misspelt field or a comparison
 * of a string with a number is an error when the policy is applied. Hand-written because cel-java
 * derives struct types only from protobuf descriptors.
 */
final class CelTypes implements CelTypeProvider {
  private final Map<String, CelType> structs = new LinkedHashMap<>();
  private final Map<String, Class<?>> structClasses = new LinkedHashMap<>();

  /** The CEL type of {@code type} as its JSON tree reads; records become struct types. */
  CelType of(Class<?> type) {
    return of(CanonicalJson.MAPPER.constructType(type));
  }

  private CelType of(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class || raw.isEnum()) {
      return SimpleType.STRING;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return SimpleType.BOOL;
    }
    if (raw == int.class
        || raw == long.class
        || raw == Integer.class
        || raw == Long.class
        || raw == BigInteger.class) {
      return SimpleType.INT;
    }
    if (raw == double.class
        || raw == float.class
        || raw == Double.class
        || raw == Float.class
        || raw == BigDecimal.class) {
      return SimpleType.DOUBLE;
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return ListType.create(of(type.getContentType()));
    }
    if (type.isMapLikeType()) {
      return MapType.create(SimpleType.STRING, of(type.getContentType()));
    }
    if (raw == Object.class
        || JsonNode.class.isAssignableFrom(raw)
        || raw.getName().startsWith("java.")) {
      return SimpleType.DYN;
    }
    return struct(type);
  }

  private CelType struct(JavaType type) {
    String name = type.getRawClass().getSimpleName();
    Class<?> owner = structClasses.putIfAbsent(name, type.getRawClass());
    if (owner != null && owner != type.getRawClass()) {
      throw new IllegalStateException("two rule input types named " + name);
    }
    if (owner != null) {
      return structs.get(name);
    }
    Map<String, JavaType> properties = new LinkedHashMap<>();
    for (BeanPropertyDefinition property :
        CanonicalJson.MAPPER.getSerializationConfig().introspect(type).findProperties()) {
      if (property.couldSerialize()) {
        properties.put(property.getName(), property.getPrimaryType());
      }
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    StructType struct =
        StructType.create(
            name,
            ImmutableSet.copyOf(properties.keySet()),
            field -> Optional.ofNullable(fields.get(field)));
    structs.put(name, struct); // before its fields: a record may hold itself
    properties.forEach((field, fieldType) -> fields.put(field, of(fieldType)));
    return struct;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structs.get(typeName));
  }
}
