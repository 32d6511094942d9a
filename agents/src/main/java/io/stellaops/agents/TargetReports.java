package io.stellaops.agents;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what runs on the agent's targets into Target status ({@code running}, {@code release},
 * {@code lastJob}, {@code lastObservedTime}). The operator judges Ready and Drifted from it.
 */
final class TargetReports {
  private static final Logger LOG = LoggerFactory.getLogger(TargetReports.class);
  // An unchanged observation is written at most this often, so status shows the agent still looks.
  private static final Duration REFRESH = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final Drivers drivers;
  private final Clock clock;

  TargetReports(KubernetesClient client, AgentSettings settings, Drivers drivers, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.drivers = drivers;
    this.clock = clock;
  }

  void deployed(Target target, DeploymentJob job, List<ComponentDigest> running) {
    write(
        target,
        status -> {
          status.setRelease(job.getSpec().release());
          status.setLastJob(job.getMetadata().getName());
          status.setRunning(running);
          return true;
        });
  }

  /** Looks at every target this agent serves and records what runs there when it changed. */
  void observeAll() {
    List<Target> mine =
        client.resources(Target.class).inNamespace(settings.namespace()).list().getItems().stream()
            .filter(t -> settings.name().equals(t.getSpec().agent()))
            .toList();
    for (Target target : mine) {
      var driver = drivers.forType(target.getSpec().type());
      if (driver.isEmpty() || driver.get().unavailableReason() != null) {
        continue;
      }
      try {
        List<ComponentDigest> running = driver.get().observe(target);
        write(
            target,
            status -> {
              boolean stale =
                  status.getLastObservedTime() == null
                      || Instant.parse(status.getLastObservedTime())
                          .plus(REFRESH)
                          .isBefore(clock.instant());
              if (!stale && Objects.equals(status.getRunning(), running)) {
                return false;
              }
              status.setRunning(running);
              return true;
            });
      } catch (DeploymentFailure | RuntimeException e) {
        LOG.warn("cannot observe target {}: {}", target.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private interface Change {
    boolean apply(TargetStatus status);
  }

  private void write(Target target, Change change) {
    client
        .resources(Target.class)
        .inNamespace(target.getMetadata().getNamespace())
        .withName(target.getMetadata().getName())
        .editStatus(current -> {
          TargetStatus status =
              current.getStatus() == null ? new TargetStatus() : current.getStatus();
          if (change.apply(status)) {
            status.setLastObservedTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            current.setStatus(status);
          }
          return current;
        });
  }
}
