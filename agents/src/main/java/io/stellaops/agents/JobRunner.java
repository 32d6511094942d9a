package io.stellaops.agents;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.DeployResult;
import io.stellaops.agents.driver.Deployment;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.JobLog;
import io.stellaops.agents.driver.TargetDriver;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Executes one DeploymentJob: marks it Running, deploys through the driver, reports the result. */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final Drivers drivers;
  private final TargetReports targets;
  private final Clock clock;

  JobRunner(
      KubernetesClient client,
      AgentSettings settings,
      Drivers drivers,
      TargetReports targets,
      Clock clock) {
    this.client = client;
    this.settings = settings;
    this.drivers = drivers;
    this.targets = targets;
    this.clock = clock;
  }

  /** Runs {@code job}; its log lines carry the job as MDC, as the operator's carry its resource. */
  void run(DeploymentJob job) {
    try (var kind = MDC.putCloseable("resource.kind", "DeploymentJob");
        var namespace = MDC.putCloseable("resource.namespace", job.getMetadata().getNamespace());
        var name = MDC.putCloseable("resource.name", job.getMetadata().getName())) {
      deploy(job);
    }
  }

  private void deploy(DeploymentJob job) {
    String name = job.getMetadata().getName();
    JobLog log = new JobLog(name, clock);
    boolean resumed = job.getStatus() != null && job.getStatus().getPhase() == JobPhase.RUNNING;
    log.info(
        (resumed ? "resuming" : "starting")
            + " "
            + job.getSpec().action().name().toLowerCase(java.util.Locale.ROOT)
            + " of "
            + job.getSpec().release()
            + " "
            + job.getSpec().version()
            + " to target "
            + job.getSpec().target()
            + " on "
            + settings.hostname());
    if (!update(
        job,
        s -> {
          s.setPhase(JobPhase.RUNNING);
          if (s.getStartedAt() == null) {
            s.setStartedAt(timestamp());
          }
          s.setMessage("agent " + settings.name() + " on " + settings.hostname() + " is deploying");
          s.setLogTail(log.tail());
        })) {
      return;
    }
    try {
      Target target = targetOf(job);
      TargetDriver driver = driverFor(target);
      DeployResult result =
          driver.deploy(
              new Deployment(
                  name,
                  job.getSpec().promotion(),
                  job.getSpec().release(),
                  job.getSpec().version(),
                  job.getSpec().components(),
                  target,
                  settings.dataDirectory(),
                  clock.instant(),
                  deadlineOf(job),
                  timeoutOf(job)),
              log);
      String message =
          "deployed "
              + job.getSpec().release()
              + " "
              + job.getSpec().version()
              + " to "
              + job.getSpec().target();
      log.info(message);
      update(
          job,
          s -> {
            s.setPhase(JobPhase.SUCCEEDED);
            s.setFinishedAt(timestamp());
            s.setObserved(result.observed());
            s.setArtifacts(result.artifacts());
            s.setMessage(message);
            s.setLogTail(log.tail());
          });
      targets.deployed(target, job, result.observed());
    } catch (DeploymentFailure e) {
      fail(job, log, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("job {} failed", name, e);
      fail(job, log, "agent error: " + e);
    }
  }

  private static String timeoutOf(DeploymentJob job) {
    return Objects.requireNonNullElse(job.getSpec().timeout(), DeploymentJobSpec.DEFAULT_TIMEOUT);
  }

  /** The job's creation plus its timeout: the operator times the job out then too. */
  private static Instant deadlineOf(DeploymentJob job) {
    return Instant.parse(job.getMetadata().getCreationTimestamp())
        .plus(GoDuration.parse(timeoutOf(job)));
  }

  private Target targetOf(DeploymentJob job) throws DeploymentFailure {
    Target target =
        client
            .resources(Target.class)
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getSpec().target())
            .get();
    if (target == null) {
      throw new DeploymentFailure("Target " + job.getSpec().target() + " does not exist");
    }
    if (!settings.name().equals(target.getSpec().agent())) {
      throw new DeploymentFailure(
          "Target "
              + job.getSpec().target()
              + " is served by agent "
              + target.getSpec().agent()
              + ", not "
              + settings.name());
    }
    return target;
  }

  private TargetDriver driverFor(Target target) throws DeploymentFailure {
    TargetDriver driver =
        drivers
            .forType(target.getSpec().type())
            .orElseThrow(() ->
                new DeploymentFailure(
                    "agent "
                        + settings.name()
                        + " has no driver for target type "
                        + target.getSpec().type()));
    String unavailable = driver.unavailableReason();
    if (unavailable != null) {
      throw new DeploymentFailure(unavailable);
    }
    return driver;
  }

  private void fail(DeploymentJob job, JobLog log, String message) {
    log.info("failed: " + message);
    update(
        job,
        s -> {
          s.setPhase(JobPhase.FAILED);
          s.setFinishedAt(timestamp());
          s.setMessage(message);
          s.setLogTail(log.tail());
        });
  }

  /**
   * Applies {@code change} to the job's current status; false (and nothing written) when the job is
   * gone or already finished, e.g. the operator timed it out meanwhile.
   */
  private boolean update(DeploymentJob job, Consumer<DeploymentJobStatus> change) {
    var resource =
        client
            .resources(DeploymentJob.class)
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName());
    boolean[] written = {false};
    try {
      resource.editStatus(current -> {
        DeploymentJobStatus status =
            current.getStatus() == null ? new DeploymentJobStatus() : current.getStatus();
        if (status.getPhase() != null && status.getPhase().finished()) {
          LOG.warn(
              "job {} is already {}; not overwriting it",
              job.getMetadata().getName(),
              status.getPhase());
          return current;
        }
        change.accept(status);
        status.conditionsFollowPhase(current.getMetadata().getGeneration(), clock.instant());
        current.setStatus(status);
        written[0] = true;
        return current;
      });
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
    return written[0];
  }

  private String timestamp() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static boolean finished(DeploymentJob job) {
    return job.getStatus() != null
        && job.getStatus().getPhase() != null
        && job.getStatus().getPhase().finished();
  }
}
