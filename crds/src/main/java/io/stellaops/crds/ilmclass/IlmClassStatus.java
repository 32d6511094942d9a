package io.stellaops.crds.ilmclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Usage of an ILM class. */
public class IlmClassStatus extends StellaStatus {
  @JsonPropertyDescription("Objects governed, per kind.")
  private Map<String, Integer> usage = new TreeMap<>();

  @JsonPropertyDescription("The next objects due for purge, soonest first.")
  private List<UpcomingPurge> upcomingPurges = new ArrayList<>();

  public Map<String, Integer> getUsage() {
    return usage;
  }

  public void setUsage(Map<String, Integer> usage) {
    this.usage = usage;
  }

  public List<UpcomingPurge> getUpcomingPurges() {
    return upcomingPurges;
  }

  public void setUpcomingPurges(List<UpcomingPurge> upcomingPurges) {
    this.upcomingPurges = upcomingPurges;
  }

  /** An object due for purge. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UpcomingPurge(
      @JsonPropertyDescription("Kind.") String kind,
      @JsonPropertyDescription("Namespace.") String namespace,
      @JsonPropertyDescription("Name.") String name,
      @JsonPropertyDescription("When it will be purged (RFC 3339).") String at) {}
}
