package io.stellaops.controllers.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.agent.AgentStatus;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows an agent's liveness in Agent status: Ready while its Lease is fresh, with the version,
 * capabilities, host and active jobs the agent wrote on the Lease. Looks again the moment the Lease
 * would expire, so a stopped agent turns not-Ready without waiting for an event.
 */
@ControllerConfiguration
public class AgentReconciler implements Reconciler<Agent> {

  private final Clock clock;

  public AgentReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Agent>> prepareEventSources(EventSourceContext<Agent> context) {
    var leases =
        InformerEventSourceConfiguration.from(Lease.class, Agent.class)
            .withLabelSelector(AgentLease.AGENT_LABEL)
            .withSecondaryToPrimaryMapper(lease ->
                Set.of(
                    new ResourceID(
                        lease.getMetadata().getLabels().get(AgentLease.AGENT_LABEL),
                        lease.getMetadata().getNamespace())))
            .build();
    return List.of(new InformerEventSource<>(leases, context));
  }

  @Override
  public UpdateControl<Agent> reconcile(Agent agent, Context<Agent> context) {
    Instant now = clock.instant();
    long generation = agent.getMetadata().getGeneration();
    String name = agent.getMetadata().getName();
    Lease lease = context.getSecondaryResource(Lease.class).orElse(null);
    AgentLiveness liveness = AgentLiveness.of(name, agent, lease, now);
    AgentStatus status = new AgentStatus();
    if (agent.getStatus() != null) {
      status.setConditions(agent.getStatus().getConditions());
    }
    boolean wasReady =
        Conditions.find(agent.getStatus(), ConditionTypes.READY)
            .map(c -> c.status() == io.stellaops.crds.common.Condition.Status.TRUE)
            .orElse(false);
    if (lease != null) {
      Map<String, String> a = lease.getMetadata().getAnnotations();
      if (a != null) {
        status.setVersion(a.get(AgentLease.VERSION));
        status.setHostname(a.get(AgentLease.HOSTNAME));
        String caps = a.get(AgentLease.CAPABILITIES);
        status.setReportedCapabilities(
            caps == null || caps.isBlank() ? List.of() : Arrays.asList(caps.split(",")));
        try {
          status.setActiveJobs(
              a.get(AgentLease.ACTIVE_JOBS) == null
                  ? null
                  : Integer.valueOf(a.get(AgentLease.ACTIVE_JOBS)));
        } catch (NumberFormatException e) {
          status.setActiveJobs(null);
        }
      }
    }
    if (liveness.lastRenewal() != null) {
      status.setLastHeartbeatTime(heartbeatTime(agent, liveness));
      ControllerMetrics.agentHeartbeat(
          agent.getMetadata().getNamespace(), name, liveness.lastRenewal());
    }
    if (liveness.skewed()) {
      Duration skew = liveness.skew();
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.CLOCK_SKEWED,
              io.stellaops.crds.common.Condition.Status.TRUE,
              "ClockSkewed",
              // in whole bounds, so the message (and status) does not change with every renewal
              "agent "
                  + name
                  + "'s clock is at least "
                  + skew.abs().toSeconds()
                      / AgentLiveness.SKEW_BOUND.toSeconds()
                      * AgentLiveness.SKEW_BOUND.toSeconds()
                  + " s "
                  + (skew.isNegative() ? "behind" : "ahead of")
                  + " the API server's: liveness is timed by the server, but the times it reports"
                  + " for jobs are off by as much; check the host's time synchronisation (NTP)",
              generation),
          now);
    } else {
      Conditions.remove(status, ConditionTypes.CLOCK_SKEWED);
    }
    Duration recheck = null;
    if (liveness.alive()) {
      Conditions.ready(status, generation, "Heartbeat", liveness.message(), now);
      recheck = Duration.between(now, liveness.expires()).plusSeconds(1);
    } else {
      String reason = lease == null ? "NeverConnected" : "HeartbeatMissed";
      Conditions.stalled(status, generation, reason, liveness.message(), now);
      if (wasReady) {
        KubernetesEvents.record(
            context.getClient(), agent, "Warning", reason, liveness.message(), now);
      }
    }
    var control =
        StatusPatch.ifChanged(
            agent, status, Agent::new, context.getClient().getKubernetesSerialization());
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  /**
   * The renewal time status shows: kept until it is half a heartbeatTimeout old, so an agent
   * renewing every few seconds costs one status write per half timeout, not one per renewal (as
   * Node heartbeats moved to Leases). The Lease and the heartbeat-age metric have the exact time.
   */
  private static String heartbeatTime(Agent agent, AgentLiveness liveness) {
    String shown = agent.getStatus() == null ? null : agent.getStatus().getLastHeartbeatTime();
    Instant renewed = liveness.lastRenewal().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (shown != null) {
      Instant at = Instant.parse(shown);
      Duration half = AgentLiveness.heartbeatTimeout(agent).dividedBy(2);
      if (!renewed.isBefore(at) && renewed.isBefore(at.plus(half))) {
        return shown;
      }
    }
    return Conditions.timestamp(renewed);
  }
}
