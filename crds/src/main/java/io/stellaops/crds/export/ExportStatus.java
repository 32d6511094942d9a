package io.stellaops.crds.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an Export wrote. Written by the Export controller only. */
public class ExportStatus extends StellaStatus {
  @JsonPropertyDescription(
      "Pending (not exported yet), Complete (written, read back and verified everywhere) or"
          + " Failed (see message; retried with backoff).")
  private String phase;

  @JsonPropertyDescription("Objects in the bundle, per kind.")
  private Map<String, Integer> objects = new TreeMap<>();

  @JsonPropertyDescription("Files in the bundle besides its manifest, checksums and signatures.")
  private Integer files;

  @JsonPropertyDescription("The bundle (a tar): its digest and size.")
  private BundleRef bundle;

  @JsonPropertyDescription(
      "Where the bundle was written and read back from, e.g."
          + " oci://registry/repo@sha256:... or s3://bucket/key.tar?versionId=....")
  private List<String> locations = new ArrayList<>();

  @JsonPropertyDescription("Key id of the evidence key that signed the bundle's manifest.")
  private String signedBy;

  @JsonPropertyDescription("When the bundle was complete (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription("What happened last, in a sentence.")
  private String message;

  /** A bundle's digest and size. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BundleRef(
      @JsonPropertyDescription("sha256 of the bundle's bytes.") String digest,
      @JsonPropertyDescription("Size in bytes.") Long size) {}

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public Map<String, Integer> getObjects() {
    return objects;
  }

  public void setObjects(Map<String, Integer> objects) {
    this.objects = objects;
  }

  public Integer getFiles() {
    return files;
  }

  public void setFiles(Integer files) {
    this.files = files;
  }

  public BundleRef getBundle() {
    return bundle;
  }

  public void setBundle(BundleRef bundle) {
    this.bundle = bundle;
  }

  public List<String> getLocations() {
    return locations;
  }

  public void setLocations(List<String> locations) {
    this.locations = locations;
  }

  public String getSignedBy() {
    return signedBy;
  }

  public void setSignedBy(String signedBy) {
    this.signedBy = signedBy;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
