package io.stellaops.supplychain.sbom;

import io.stellaops.supplychain.digest.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.BomParserFactory;

/**
 * A CycloneDX SBOM (1.0–1.6, JSON or XML, read by cyclonedx-core-java), flattened to its
 * components, nested ones included; the digest is of the bytes read.
 */
public record Sbom(
    String digest,
    String specVersion,
    String serialNumber,
    SbomComponent subject,
    List<SbomComponent> components) {

  public static Sbom parse(byte[] bytes) throws SbomException {
    if (!BomParserFactory.looksLikeCycloneDX(bytes)) {
      throw new SbomException("not a CycloneDX document (JSON with bomFormat, or XML)");
    }
    Bom bom;
    try {
      bom = BomParserFactory.createParser(bytes).parse(bytes);
    } catch (ParseException | RuntimeException e) {
      throw new SbomException("not a readable CycloneDX document: " + e.getMessage());
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
        Sha256.digest(bytes),
        bom.getSpecVersion(),
        bom.getSerialNumber(),
        subject,
        List.copyOf(components));
  }

  private static void walk(List<Component> list, List<SbomComponent> into, Set<String> seen) {
    if (list == null) {
      return;
    }
    for (Component c : list) {
      String identity = c.getPurl() != null ? c.getPurl() : c.getBomRef() + "|" + c.getName();
      if (seen.add(identity)) {
        into.add(new SbomComponent(c.getName(), c.getVersion(), c.getPurl(), c.getBomRef()));
      }
      walk(c.getComponents(), into, seen);
    }
  }
}
