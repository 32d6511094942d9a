package io.stellaops.agents.driver.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import io.stellaops.agents.driver.DeployResult;
import io.stellaops.agents.driver.Deployment;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.JobLog;
import io.stellaops.agents.driver.Sticker;
import io.stellaops.agents.driver.TargetDriver;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.target.DockerSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.time.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs each release component as the container {@code <prefix>-<component>} on one Docker host.
 *
 * <p>Every image is pulled by digest and its RepoDigests checked before anything changes. New
 * containers start beside the old ones as {@code <name>-next}; only when all are healthy are the
 * old ones stopped and removed and the new ones renamed. A target that publishes host ports cannot
 * hold two containers on one port, so there the old container is stopped first and started again if
 * the new one does not become healthy.
 */
public final class DockerDriver implements TargetDriver {
  public static final String LABEL_TARGET = Deployment.STAMP_TARGET;
  public static final String LABEL_COMPONENT = "stellaops.io/component";
  public static final String LABEL_RELEASE = Deployment.STAMP_RELEASE;
  public static final String LABEL_DIGEST = "stellaops.io/digest";
  public static final String LABEL_JOB = Deployment.STAMP_JOB;
  private static final String NEXT = "-next";
  // Without a health check, a container that stays up this long counts as started.
  private static final Duration STABLE = Duration.ofSeconds(3);
  private static final Duration POLL = Duration.ofMillis(250);

  private final DockerEngine engine;

  public DockerDriver(DockerEngine engine) {
    this.engine = engine;
  }

  @Override
  public TargetType type() {
    return TargetType.DOCKER;
  }

  @Override
  public String unavailableReason() {
    return engine.unreachableReason();
  }

  private record Swap(ComponentDigest component, String name, InspectContainerResponse old) {
    String candidate() {
      return name + NEXT;
    }
  }

  @Override
  public DeployResult deploy(Deployment deployment, JobLog log) throws DeploymentFailure {
    DockerSettings settings = settingsOf(deployment.target());
    String prefix = prefixOf(deployment.target());
    for (ComponentDigest c : deployment.components()) {
      log.info("pulling " + Deployment.pinned(c));
      engine.pullPinned(c.image(), c.digest());
    }
    List<Swap> swaps = new ArrayList<>();
    for (ComponentDigest c : deployment.components()) {
      String name = prefix + "-" + c.name();
      InspectContainerResponse old = engine.inspect(name).orElse(null);
      if (old != null && runs(old, deployment.targetName(), c.digest())) {
        log.info(name + " already runs " + c.digest() + "; left as it is");
        continue;
      }
      engine
          .inspect(name + NEXT)
          .ifPresent(leftover -> {
            log.info("removing " + name + NEXT + " left by an interrupted job");
            engine.removeQuietly(leftover.getId());
          });
      swaps.add(new Swap(c, name, old));
    }
    boolean stopFirst = settings.ports() != null && !settings.ports().isEmpty();
    List<String> started = new ArrayList<>();
    try {
      for (Swap swap : swaps) {
        if (stopFirst && swap.old() != null && isRunning(swap.old())) {
          log.info("stopping " + swap.name() + " first: it holds the published ports");
          engine.client().stopContainerCmd(swap.old().getId()).withTimeout(10).exec();
        }
        String id = create(deployment, settings, swap).exec().getId();
        started.add(id);
        engine.client().startContainerCmd(id).exec();
        log.info("started " + swap.candidate() + " from " + Deployment.pinned(swap.component()));
      }
      String healthTimeout = Objects.requireNonNullElse(settings.healthTimeout(), "2m");
      Deployment.Wait wait =
          deployment.waitFor(GoDuration.parse(healthTimeout), "healthTimeout " + healthTimeout);
      for (int i = 0; i < swaps.size(); i++) {
        awaitHealthy(swaps.get(i).candidate(), started.get(i), wait, log);
      }
    } catch (DeploymentFailure | RuntimeException e) {
      started.forEach(engine::removeQuietly);
      for (Swap swap : swaps) {
        if (stopFirst && swap.old() != null && isRunning(swap.old())) {
          engine.client().startContainerCmd(swap.old().getId()).exec();
          log.info("started the previous " + swap.name() + " again");
        }
      }
      String message =
          e instanceof DeploymentFailure ? e.getMessage() : "Docker: " + e.getMessage();
      throw new DeploymentFailure(
          message + "; the previous containers keep running and the new ones were removed", e);
    }
    for (int i = 0; i < swaps.size(); i++) {
      Swap swap = swaps.get(i);
      if (swap.old() != null) {
        engine.removeQuietly(swap.old().getId());
        log.info("removed the previous " + swap.name());
      }
      engine.client().renameContainerCmd(started.get(i)).withName(swap.name()).exec();
    }
    List<ArtifactRef> artifacts = new ArrayList<>();
    if (settings.stickerPath() != null) {
      artifacts.add(Sticker.write(Path.of(settings.stickerPath()), deployment));
      log.info("wrote " + Sticker.FILE + " in " + settings.stickerPath());
    }
    return new DeployResult(observe(deployment.target()), artifacts);
  }

  private CreateContainerCmd create(Deployment deployment, DockerSettings settings, Swap swap) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_TARGET, deployment.targetName());
    labels.put(LABEL_COMPONENT, swap.component().name());
    labels.put(LABEL_RELEASE, deployment.release());
    labels.put(LABEL_DIGEST, swap.component().digest());
    labels.put(LABEL_JOB, deployment.job());
    HostConfig host =
        HostConfig.newHostConfig()
            .withRestartPolicy(
                com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart());
    if (settings.network() != null) {
      host.withNetworkMode(settings.network());
    }
    if (settings.ports() != null && !settings.ports().isEmpty()) {
      host.withPortBindings(settings.ports().stream().map(PortBinding::parse).toList());
    }
    var cmd =
        engine
            .client()
            .createContainerCmd(Deployment.pinned(swap.component()))
            .withName(swap.candidate())
            .withLabels(labels)
            .withHostConfig(host);
    if (settings.env() != null) {
      cmd.withEnv(
          settings.env().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + "=" + e.getValue())
              .toList());
    }
    if (settings.healthCheck() != null && !settings.healthCheck().isEmpty()) {
      List<String> test = new ArrayList<>(List.of("CMD"));
      test.addAll(settings.healthCheck());
      cmd.withHealthcheck(
          new HealthCheck()
              .withTest(test)
              .withInterval(Duration.ofMillis(500).toNanos())
              .withTimeout(Duration.ofSeconds(5).toNanos())
              .withRetries(3));
    }
    return cmd;
  }

  private void awaitHealthy(String name, String id, Deployment.Wait wait, JobLog log)
      throws DeploymentFailure {
    Instant upSince = null;
    while (true) {
      InspectContainerResponse c = engine.client().inspectContainerCmd(id).exec();
      var state = c.getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw new DeploymentFailure(
            name + " exited with code " + state.getExitCodeLong() + " before it became healthy");
      }
      var health = state.getHealth();
      if (health != null) {
        if ("healthy".equals(health.getStatus())) {
          log.info(name + " is healthy");
          return;
        }
        if ("unhealthy".equals(health.getStatus())) {
          throw new DeploymentFailure(name + " is unhealthy: " + lastHealthOutput(health.getLog()));
        }
      } else {
        upSince = upSince == null ? Instant.now() : upSince;
        if (Duration.between(upSince, Instant.now()).compareTo(STABLE) >= 0) {
          log.info(name + " has been running for " + STABLE.toSeconds() + "s (no health check)");
          return;
        }
      }
      if (wait.over()) {
        throw new DeploymentFailure(
            name
                + " did not become healthy within "
                + wait.limit()
                + "; last check: "
                + (health == null ? "none" : lastHealthOutput(health.getLog())));
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeploymentFailure("interrupted while waiting for " + name);
      }
    }
  }

  private static String lastHealthOutput(List<HealthStateLog> logs) {
    if (logs == null || logs.isEmpty()) {
      return "no check finished yet";
    }
    HealthStateLog last = logs.get(logs.size() - 1);
    String output = last.getOutput() == null ? "" : last.getOutput().strip();
    return "exit code " + last.getExitCodeLong() + (output.isEmpty() ? "" : ", output: " + output);
  }

  @Override
  public List<ComponentDigest> observe(Target target) {
    String targetName = target.getMetadata().getName();
    List<ComponentDigest> running = new ArrayList<>();
    for (Container c : engine.containers(Map.of(LABEL_TARGET, targetName))) {
      boolean candidate =
          c.getNames() != null
              && java.util.Arrays.stream(c.getNames()).anyMatch(n -> n.endsWith(NEXT));
      if (candidate || !"running".equals(c.getState())) {
        continue;
      }
      String component = c.getLabels().get(LABEL_COMPONENT);
      Optional<String> pinned = repoDigest(c.getImageId(), c.getImage());
      pinned.ifPresent(p -> {
        int at = p.indexOf('@');
        running.add(new ComponentDigest(component, p.substring(0, at), p.substring(at + 1)));
      });
    }
    running.sort(Comparator.comparing(ComponentDigest::name));
    return running;
  }

  /** The digest the container's image really has, not just the label we wrote on it. */
  private Optional<String> repoDigest(String imageId, String imageReference) {
    List<String> digests = engine.client().inspectImageCmd(imageId).exec().getRepoDigests();
    if (digests == null || digests.isEmpty()) {
      return Optional.empty();
    }
    return digests.stream()
        .filter(d -> imageReference != null && imageReference.equals(d))
        .findFirst()
        .or(() -> digests.stream().findFirst());
  }

  private static boolean runs(InspectContainerResponse c, String target, String digest) {
    Map<String, String> labels = c.getConfig().getLabels();
    return isRunning(c)
        && labels != null
        && target.equals(labels.get(LABEL_TARGET))
        && digest.equals(labels.get(LABEL_DIGEST));
  }

  private static boolean isRunning(InspectContainerResponse c) {
    return Boolean.TRUE.equals(c.getState().getRunning());
  }

  private static DockerSettings settingsOf(Target target) {
    DockerSettings s = target.getSpec().docker();
    return s != null ? s : new DockerSettings(null, null, null, null, null, null, null);
  }

  static String prefixOf(Target target) {
    DockerSettings s = target.getSpec().docker();
    return s != null && s.containerPrefix() != null
        ? s.containerPrefix()
        : target.getMetadata().getName();
  }
}
