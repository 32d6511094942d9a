package io.stellaops.crds.ilmclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage of an ILM class and what its lifecycle controller did last. Written by the IlmClass
 * controller only.
 */
public class IlmClassStatus extends StellaStatus {
  @JsonPropertyDescription("Objects governed, per kind.")
  private Map<String, Integer> usage = new TreeMap<>();

  @JsonPropertyDescription("Bytes the governed objects take in the API server (JSON), per kind.")
  private Map<String, Long> bytes = new TreeMap<>();

  @JsonPropertyDescription("Governed objects kept past their expiry by a pin or a legal hold.")
  private Integer pinned;

  @JsonPropertyDescription("Objects expired, not pinned and not yet purged.")
  private Integer backlog;

  @JsonPropertyDescription("Objects due for purge in the next 24 hours (pinned ones left out).")
  private Integer purgesNext24h;

  @JsonPropertyDescription("Objects due for purge in the next 7 days (pinned ones left out).")
  private Integer purgesNext7d;

  @JsonPropertyDescription("The next objects due for purge, soonest first, at most 20.")
  private List<UpcomingPurge> upcomingPurges = new ArrayList<>();

  @JsonPropertyDescription("When the lifecycle controller last looked at the class (RFC 3339).")
  private String lastRun;

  @JsonPropertyDescription("Objects purged by the last run.")
  private Integer lastRunPurged;

  @JsonPropertyDescription(
      "Archives written and verified by the last run (a packet's archive carries its promotion,"
          + " decision, jobs and approvals, which are then purged without one of their own).")
  private Integer lastRunArchived;

  public Map<String, Integer> getUsage() {
    return usage;
  }

  public void setUsage(Map<String, Integer> usage) {
    this.usage = usage;
  }

  public Map<String, Long> getBytes() {
    return bytes;
  }

  public void setBytes(Map<String, Long> bytes) {
    this.bytes = bytes;
  }

  public Integer getPinned() {
    return pinned;
  }

  public void setPinned(Integer pinned) {
    this.pinned = pinned;
  }

  public Integer getBacklog() {
    return backlog;
  }

  public void setBacklog(Integer backlog) {
    this.backlog = backlog;
  }

  public Integer getPurgesNext24h() {
    return purgesNext24h;
  }

  public void setPurgesNext24h(Integer purgesNext24h) {
    this.purgesNext24h = purgesNext24h;
  }

  public Integer getPurgesNext7d() {
    return purgesNext7d;
  }

  public void setPurgesNext7d(Integer purgesNext7d) {
    this.purgesNext7d = purgesNext7d;
  }

  public List<UpcomingPurge> getUpcomingPurges() {
    return upcomingPurges;
  }

  public void setUpcomingPurges(List<UpcomingPurge> upcomingPurges) {
    this.upcomingPurges = upcomingPurges;
  }

  public String getLastRun() {
    return lastRun;
  }

  public void setLastRun(String lastRun) {
    this.lastRun = lastRun;
  }

  public Integer getLastRunPurged() {
    return lastRunPurged;
  }

  public void setLastRunPurged(Integer lastRunPurged) {
    this.lastRunPurged = lastRunPurged;
  }

  public Integer getLastRunArchived() {
    return lastRunArchived;
  }

  public void setLastRunArchived(Integer lastRunArchived) {
    this.lastRunArchived = lastRunArchived;
  }

  /** An object due for purge. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UpcomingPurge(
      @JsonPropertyDescription("Kind.") String kind,
      @JsonPropertyDescription("Namespace.") String namespace,
      @JsonPropertyDescription("Name.") String name,
      @JsonPropertyDescription("When it will be purged (RFC 3339).") String at,
      @JsonPropertyDescription("Delete or Archive.") String action) {}
}
