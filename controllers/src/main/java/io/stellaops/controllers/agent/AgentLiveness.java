package io.stellaops.controllers.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an agent is alive: its {@link AgentLease} was renewed within the Agent's
 * heartbeatTimeout.
 */
public record AgentLiveness(boolean alive, Instant lastRenewal, Instant expires, String message) {
  public static Duration heartbeatTimeout(Agent agent) {
    return GoDuration.parse(agent.getSpec().heartbeatTimeoutOrDefault());
  }

  /** {@code agent} may be null (no such Agent), {@code lease} null (never connected). */
  public static AgentLiveness of(String name, Agent agent, Lease lease, Instant now) {
    if (agent == null) {
      return new AgentLiveness(false, null, null, "Agent " + name + " does not exist");
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
              + agent.getSpec().serviceAccountName());
    }
    Instant renewed = lease.getSpec().getRenewTime().toInstant();
    Instant expires = renewed.plus(timeout);
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
              + ")");
    }
    return new AgentLiveness(
        true,
        renewed,
        expires,
        "agent "
            + name
            + " renews its Lease (heartbeatTimeout "
            + agent.getSpec().heartbeatTimeoutOrDefault()
            + ")");
  }
}
