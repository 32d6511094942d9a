package io.stellaops.agents;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The agent's heartbeat: a {@code coordination.k8s.io} Lease named {@code stella-agent-<name>}
 * renewed by server-side apply. Its annotations carry what the operator shows in Agent status
 * (version, capabilities, host, active jobs), so the agent needs no write access to Agents.
 */
public final class Heartbeat {
  public static final String LEASE_PREFIX = "stella-agent-";
  public static final String VERSION = "stellaops.io/agent-version";
  public static final String CAPABILITIES = "stellaops.io/capabilities";
  public static final String HOSTNAME = "stellaops.io/hostname";
  public static final String ACTIVE_JOBS = "stellaops.io/active-jobs";
  public static final String AGENT_LABEL = "stellaops.io/agent";

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

  public static String leaseName(String agent) {
    return LEASE_PREFIX + agent;
  }

  /** Renews the Lease now; {@code duration} is the Agent's heartbeatTimeout. */
  public void renew(Duration duration, List<String> capabilities, IntSupplier activeJobs) {
    java.time.ZonedDateTime now =
        clock.instant().truncatedTo(ChronoUnit.MICROS).atZone(java.time.ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(leaseName(settings.name()))
            .withNamespace(settings.namespace())
            .addToLabels(AGENT_LABEL, settings.name())
            .addToAnnotations(VERSION, version)
            .addToAnnotations(CAPABILITIES, capabilities.stream().collect(Collectors.joining(",")))
            .addToAnnotations(HOSTNAME, settings.hostname())
            .addToAnnotations(ACTIVE_JOBS, Integer.toString(activeJobs.getAsInt()))
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
