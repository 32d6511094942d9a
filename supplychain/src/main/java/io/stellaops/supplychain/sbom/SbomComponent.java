package io.stellaops.supplychain.sbom;

/** A component an SBOM lists: its name, version, package URL (if any) and bom-ref. */
public record SbomComponent(String name, String version, String purl, String bomRef) {}
