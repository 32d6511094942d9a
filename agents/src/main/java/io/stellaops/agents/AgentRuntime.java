package io.stellaops.agents;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: renews its Lease, watches the DeploymentJobs labelled with its name, runs each at most
 * once at a time (up to {@code maxConcurrentJobs} together), and reports what runs on its targets.
 * A job found Running at start was interrupted by a restart; it runs again, and the drivers leave
 * what already runs untouched, so nothing is deployed twice.
 */
public final class AgentRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final Drivers drivers;
  private final String version;
  private final Clock clock;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("stella-agent-", 0).factory());
  private ExecutorService jobs;
  private SharedIndexInformer<DeploymentJob> informer;
  private JobRunner runner;
  private TargetReports targets;

  public AgentRuntime(
      KubernetesClient client,
      AgentSettings settings,
      Drivers drivers,
      String version,
      Clock clock) {
    this.client = client;
    this.settings = settings;
    this.drivers = drivers;
    this.version = version;
    this.clock = clock;
  }

  public void start() {
    Agent agent =
        client
            .resources(Agent.class)
            .inNamespace(settings.namespace())
            .withName(settings.name())
            .get();
    if (agent == null) {
      throw new IllegalStateException(
          "Agent "
              + settings.namespace()
              + "/"
              + settings.name()
              + " does not exist; create it before starting the agent (see docs/agents.md)");
    }
    Duration heartbeatTimeout = GoDuration.parse(agent.getSpec().heartbeatTimeoutOrDefault());
    int concurrency =
        agent.getSpec().maxConcurrentJobs() == null ? 1 : agent.getSpec().maxConcurrentJobs();
    List<TargetType> available = drivers.available();
    List<String> capabilities =
        available.stream()
            .filter(agent.getSpec().capabilities()::contains)
            .map(t -> CanonicalJson.MAPPER.convertValue(t, String.class))
            .toList();
    agent.getSpec().capabilities().stream()
        .filter(t -> !available.contains(t))
        .forEach(t -> LOG.warn("capability {} is declared but cannot be served on this host", t));
    var heartbeat = new Heartbeat(client, settings, version, clock);
    heartbeat.renew(heartbeatTimeout, capabilities, inFlight::size);
    long renewMillis = Math.max(1000, heartbeatTimeout.toMillis() / 4);
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            heartbeat.renew(heartbeatTimeout, capabilities, inFlight::size);
          } catch (RuntimeException e) {
            LOG.warn("cannot renew the Lease: {}", e.getMessage());
          }
        },
        renewMillis,
        renewMillis,
        TimeUnit.MILLISECONDS);
    targets = new TargetReports(client, settings, drivers, clock);
    runner = new JobRunner(client, settings, drivers, targets, clock);
    jobs =
        Executors.newFixedThreadPool(
            concurrency, Thread.ofPlatform().name("stella-job-", 0).factory());
    informer =
        client
            .resources(DeploymentJob.class)
            .inNamespace(settings.namespace())
            .withLabel(AgentLease.AGENT_LABEL, settings.name())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(DeploymentJob job) {
                    offer(job);
                  }

                  @Override
                  public void onUpdate(DeploymentJob old, DeploymentJob job) {
                    offer(job);
                  }

                  @Override
                  public void onDelete(DeploymentJob job, boolean unknownState) {}
                },
                Duration.ofMinutes(1).toMillis());
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            targets.observeAll();
          } catch (RuntimeException e) {
            LOG.warn("cannot observe targets: {}", e.getMessage());
          }
        },
        0,
        settings.observeInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info(
        "agent {}/{} {} started on {}: capabilities {}, {} job(s) at once",
        settings.namespace(),
        settings.name(),
        version,
        settings.hostname(),
        capabilities,
        concurrency);
  }

  private void offer(DeploymentJob job) {
    // The label selects, the spec decides: a mislabelled job of another agent is never run.
    if (!settings.name().equals(job.getSpec().agent()) || JobRunner.finished(job)) {
      return;
    }
    String name = job.getMetadata().getName();
    if (!inFlight.add(name)) {
      return;
    }
    jobs.submit(() -> {
      try {
        var current =
            client
                .resources(DeploymentJob.class)
                .inNamespace(job.getMetadata().getNamespace())
                .withName(name)
                .get();
        if (current != null && !JobRunner.finished(current)) {
          runner.run(current);
        }
      } catch (RuntimeException e) {
        LOG.error("job {} could not be run", name, e);
      } finally {
        inFlight.remove(name);
      }
    });
  }

  /** Stops watching and renewing; jobs in progress are interrupted (they resume on restart). */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    scheduler.shutdownNow();
    if (jobs != null) {
      jobs.shutdownNow();
    }
  }
}
