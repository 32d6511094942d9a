package io.stellaops.agents;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.crds.agent.AgentLease;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The agent's heartbeat: its {@link AgentLease} renewed by server-side apply. The annotations carry
 * what the operator shows in Agent status (version, capabilities, host, active jobs), so the agent
 * needs no write access to Agents.
 */
public final class Heartbeat {

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final String version;
  private final Clock clock;

  public Heartbeat(KubernetesClient client, AgentSettings settings, String version, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.version = version;
    this.clock = clock;
  }

  /** Renews the Lease now; {@code duration} is the Agent's heartbeatTimeout. */
  public void renew(Duration duration, List<String> capabilities, IntSupplier activeJobs) {
    java.time.ZonedDateTime now =
        clock.instant().truncatedTo(ChronoUnit.MICROS).atZone(java.time.ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(AgentLease.name(settings.name()))
            .withNamespace(settings.namespace())
            .addToLabels(AgentLease.AGENT_LABEL, settings.name())
            .addToAnnotations(AgentLease.VERSION, version)
            .addToAnnotations(
                AgentLease.CAPABILITIES, capabilities.stream().collect(Collectors.joining(",")))
            .addToAnnotations(AgentLease.HOSTNAME, settings.hostname())
            .addToAnnotations(AgentLease.ACTIVE_JOBS, Integer.toString(activeJobs.getAsInt()))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(settings.name() + "@" + settings.hostname())
            .withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
            .withRenewTime(now)
            .endSpec()
            .build();
    client.resource(lease).fieldManager("stella-agent").forceConflicts().serverSideApply();
  }
}
