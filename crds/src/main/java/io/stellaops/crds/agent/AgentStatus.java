package io.stellaops.crds.agent;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Agent liveness. Conditions: Ready (normal-true) while the agent's Lease was renewed within its
 * heartbeatTimeout, timed by the API server's clock; ClockSkewed (normal-false) while the agent's
 * clock is more than 30 s off the API server's.
 */
public class AgentStatus extends StellaStatus {
  @JsonPropertyDescription("Agent software version it reports.")
  private String version;

  @JsonPropertyDescription(
      "Last Lease renewal seen (RFC 3339), refreshed at most every half heartbeatTimeout; the"
          + " Lease holds the exact time.")
  private String lastHeartbeatTime;

  @JsonPropertyDescription("Target types the agent reports it can serve on its host.")
  private List<String> reportedCapabilities = new ArrayList<>();

  @JsonPropertyDescription("Host name the agent reports.")
  private String hostname;

  @JsonPropertyDescription("Jobs the agent is running now.")
  private Integer activeJobs;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getLastHeartbeatTime() {
    return lastHeartbeatTime;
  }

  public void setLastHeartbeatTime(String lastHeartbeatTime) {
    this.lastHeartbeatTime = lastHeartbeatTime;
  }

  public List<String> getReportedCapabilities() {
    return reportedCapabilities;
  }

  public void setReportedCapabilities(List<String> reportedCapabilities) {
    this.reportedCapabilities = reportedCapabilities;
  }

  public String getHostname() {
    return hostname;
  }

  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public Integer getActiveJobs() {
    return activeJobs;
  }

  public void setActiveJobs(Integer activeJobs) {
    this.activeJobs = activeJobs;
  }
}
