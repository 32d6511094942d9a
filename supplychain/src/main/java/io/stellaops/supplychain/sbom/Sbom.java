package io.stellaops.supplychain.sbom;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.BomParserFactory;

/**
 * An SBOM flattened to its components, nested ones included: CycloneDX 1.0–1.6 (JSON or XML, read
 * by cyclonedx-core-java) or SPDX 2.2/2.3 JSON (read by the SPDX project's library, {@link
 * SpdxDocuments}). The digest is of the bytes read. Real documents carry odd fields: a CycloneDX
 * classification the schema does not know (an empty {@code type} or {@code scope}) is dropped with
 * a warning, since what a component is called and which package it is stay clear; anything else
 * that cannot be read rejects the document, naming where.
 */
public record Sbom(
    String digest,
    String format,
    String specVersion,
    String serialNumber,
    SbomComponent subject,
    List<SbomComponent> components,
    List<String> warnings) {
  // every odd field costs one more parse; a document with more is not one to guess about
  private static final int MAX_DROPPED = 50;

  public static Sbom parse(byte[] bytes) throws SbomException {
    if (BomParserFactory.looksLikeCycloneDX(bytes)) {
      return cycloneDx(bytes);
    }
    if (SpdxDocuments.looksLikeSpdx(bytes)) {
      return SpdxDocuments.parse(bytes);
    }
    throw new SbomException(
        "neither CycloneDX (JSON with bomFormat, or XML) nor SPDX 2.x JSON (spdxVersion)");
  }

  private static Sbom cycloneDx(byte[] original) throws SbomException {
    byte[] bytes = original;
    List<String> warnings = new ArrayList<>();
    Bom bom = null;
    while (bom == null) {
      try {
        bom = BomParserFactory.createParser(bytes).parse(bytes);
      } catch (ParseException | RuntimeException e) {
        InvalidFormatException odd = cause(e, InvalidFormatException.class);
        if (odd == null
            || !odd.getTargetType().isEnum()
            || bytes[0] == '<'
            || warnings.size() == MAX_DROPPED) {
          JsonMappingException at = cause(e, JsonMappingException.class);
          throw new SbomException(
              "not a readable CycloneDX document"
                  + (at == null || at.getPath().isEmpty() ? "" : " at " + path(at))
                  + ": "
                  + (at != null ? at.getOriginalMessage() : e.getMessage()));
        }
        bytes = without(bytes, odd);
        warnings.add(
            path(odd)
                + ": \""
                + odd.getValue()
                + "\" is not a CycloneDX "
                + odd.getTargetType().getSimpleName()
                + " value; ignored");
      }
    }
    List<SbomComponent> components = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    SbomComponent subject = null;
    if (bom.getMetadata() != null && bom.getMetadata().getComponent() != null) {
      // the subject itself: described, not a dependency; its children are
      Component c = bom.getMetadata().getComponent();
      subject = new SbomComponent(c.getName(), c.getVersion(), c.getPurl(), c.getBomRef());
      walk(c.getComponents(), components, seen);
    }
    walk(bom.getComponents(), components, seen);
    return new Sbom(
        Sha256.digest(original),
        "CycloneDX",
        bom.getSpecVersion(),
        bom.getSerialNumber(),
        subject,
        List.copyOf(components),
        List.copyOf(warnings));
  }

  /** The document without the field {@code odd} complains of. */
  private static byte[] without(byte[] json, JsonMappingException odd) throws SbomException {
    try {
      JsonNode root = CanonicalJson.MAPPER.readTree(json);
      JsonNode parent = root;
      List<JsonMappingException.Reference> path = odd.getPath();
      for (JsonMappingException.Reference step : path.subList(0, path.size() - 1)) {
        parent =
            step.getFieldName() != null
                ? parent.path(step.getFieldName())
                : parent.path(step.getIndex());
      }
      JsonMappingException.Reference last = path.get(path.size() - 1);
      if (!(parent instanceof ObjectNode object) || last.getFieldName() == null) {
        throw new SbomException("not a readable CycloneDX document at " + path(odd));
      }
      object.remove(last.getFieldName());
      return CanonicalJson.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new SbomException("not a readable CycloneDX document: " + e.getMessage());
    }
  }

  /** {@code components[1].type}, as a reader of the document would point at it. */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference step : e.getPath()) {
      if (step.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
      } else {
        path.append('[').append(step.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static void walk(List<Component> list, List<SbomComponent> into, Set<String> seen) {
    if (list == null) {
      return;
    }
    for (Component c : list) {
      if (c == null) {
        continue; // a JSON null in a components array names no component
      }
      String identity = c.getPurl() != null ? c.getPurl() : c.getBomRef() + "|" + c.getName();
      if (seen.add(identity)) {
        into.add(new SbomComponent(c.getName(), c.getVersion(), c.getPurl(), c.getBomRef()));
      }
      walk(c.getComponents(), into, seen);
    }
  }
}
