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
      "Complete (written, read back and verified everywhere), Failed (see message; retried),"
          + " or for a scheduled Export, Scheduled (waiting for its first run).")
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

  @JsonPropertyDescription(
      "A scheduled Export: the scheduled time of its last complete run (RFC 3339); the next run"
          + " holds what was created from then on.")
  private String lastRunAt;

  @JsonPropertyDescription("A scheduled Export: when it runs next (RFC 3339).")
  private String nextRunAt;

  @JsonPropertyDescription("A scheduled Export: its last runs, newest first, at most 10.")
  private List<ExportRun> runs = new ArrayList<>();

  /** One run of a scheduled Export. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExportRun(
      @JsonPropertyDescription("The scheduled time it ran for (RFC 3339).") String at,
      @JsonPropertyDescription("sha256 of its bundle.") String digest,
      @JsonPropertyDescription("Size in bytes.") Long size,
      @JsonPropertyDescription("Objects in its bundle, all kinds together.") Integer objects,
      @JsonPropertyDescription("Where it was written.") List<String> locations) {}

  public String getLastRunAt() {
    return lastRunAt;
  }

  public void setLastRunAt(String lastRunAt) {
    this.lastRunAt = lastRunAt;
  }

  public String getNextRunAt() {
    return nextRunAt;
  }

  public void setNextRunAt(String nextRunAt) {
    this.nextRunAt = nextRunAt;
  }

  public List<ExportRun> getRuns() {
    return runs;
  }

  public void setRuns(List<ExportRun> runs) {
    this.runs = runs;
  }

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
