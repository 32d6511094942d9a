package io.stellaops.controllers.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an agent is alive: its {@link AgentLease} was renewed within the Agent's
 * heartbeatTimeout. The renewal is timed by the API server's clock (the time it stamped on the
 * write, in the Lease's managed fields), not by the {@code renewTime} the agent wrote: an agent
 * whose clock runs behind would look dead forever, one whose clock runs ahead alive long after it
 * died. {@code skew} is how far the agent's clock is off the server's (null when unknown).
 */
public record AgentLiveness(
    boolean alive, Instant lastRenewal, Instant expires, String message, Duration skew) {
  /** Beyond this the agent is told its clock is off: the times it reports would mislead. */
  public static final Duration SKEW_BOUND = Duration.ofSeconds(30);

  public static Duration heartbeatTimeout(Agent agent) {
    return GoDuration.parse(agent.getSpec().heartbeatTimeoutOrDefault());
  }

  /** {@code agent} may be null (no such Agent), {@code lease} null (never connected). */
  public static AgentLiveness of(String name, Agent agent, Lease lease, Instant now) {
    if (agent == null) {
      return new AgentLiveness(false, null, null, "Agent " + name + " does not exist", null);
    }
    Duration timeout = heartbeatTimeout(agent);
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return new AgentLiveness(
          false,
          null,
          null,
          "agent "
              + name
              + " has never connected (no Lease "
              + AgentLease.name(name)
              + "); start it with a kubeconfig for service account "
              + agent.getSpec().serviceAccountName(),
          null);
    }
    Instant reported = lease.getSpec().getRenewTime().toInstant();
    Instant stored = storedAt(lease);
    Instant renewed = stored == null ? reported : stored;
    Duration skew = stored == null ? null : skew(reported, stored);
    // the server stamps whole seconds: the write happened within the second after its stamp
    Instant expires = renewed.plus(timeout).plusSeconds(stored == null ? 0 : 1);
    if (now.isAfter(expires)) {
      return new AgentLiveness(
          false,
          renewed,
          expires,
          "agent "
              + name
              + " stopped renewing its Lease at "
              + renewed
              + " (heartbeatTimeout "
              + agent.getSpec().heartbeatTimeout()
              + ")",
          skew);
    }
    return new AgentLiveness(
        true,
        renewed,
        expires,
        "agent "
            + name
            + " renews its Lease (heartbeatTimeout "
            + agent.getSpec().heartbeatTimeoutOrDefault()
            + ")",
        skew);
  }

  /** When the API server last stored a write to the Lease, by its clock; null if it says not. */
  static Instant storedAt(Lease lease) {
    var entries = lease.getMetadata().getManagedFields();
    if (entries == null) {
      return null;
    }
    Instant latest = null;
    for (var entry : entries) {
      try {
        Instant at = entry.getTime() == null ? null : Instant.parse(entry.getTime());
        if (at != null && (latest == null || at.isAfter(latest))) {
          latest = at;
        }
      } catch (java.time.DateTimeException e) {
        // not a time the server wrote: leave it out
      }
    }
    return latest;
  }

  /** How far {@code reported} (agent clock) lies outside the second the server stamped. */
  private static Duration skew(Instant reported, Instant stored) {
    if (reported.isBefore(stored)) {
      return Duration.between(stored, reported);
    }
    Instant end = stored.plusSeconds(1);
    return reported.isAfter(end) ? Duration.between(end, reported) : Duration.ZERO;
  }

  /** Whether the agent's clock is off by more than {@link #SKEW_BOUND}. */
  public boolean skewed() {
    return skew != null && skew.abs().compareTo(SKEW_BOUND) > 0;
  }
}
