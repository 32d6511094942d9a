package io.stellaops.agents.driver.compose;

import com.github.dockerjava.api.model.Container;
import io.stellaops.agents.driver.DeployResult;
import io.stellaops.agents.driver.Deployment;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.JobLog;
import io.stellaops.agents.driver.Sticker;
import io.stellaops.agents.driver.TargetDriver;
import io.stellaops.agents.driver.docker.DockerDriver;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.target.ComposeSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Deploys a Compose project: renders {@link ComposeLockfile} with every image pinned, runs {@code
 * docker-compose up -d}, then checks that the project's running containers use exactly those
 * digests. A failed {@code up} brings the previous lockfile up again.
 */
public final class ComposeDriver implements TargetDriver {
  static final String PREVIOUS = "compose.stella.lock.previous.yml";
  private static final String PROJECT_LABEL = "com.docker.compose.project";
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);

  private final DockerEngine engine;
  private final String composeCommand;

  public ComposeDriver(DockerEngine engine) {
    this(engine, System.getenv().getOrDefault("STELLA_COMPOSE", "docker-compose"));
  }

  public ComposeDriver(DockerEngine engine, String composeCommand) {
    this.engine = engine;
    this.composeCommand = composeCommand;
  }

  @Override
  public TargetType type() {
    return TargetType.COMPOSE;
  }

  @Override
  public String unavailableReason() {
    String docker = engine.unreachableReason();
    if (docker != null) {
      return docker;
    }
    try {
      Process p = new ProcessBuilder(composeCommand, "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0
          ? null
          : composeCommand + " version failed";
    } catch (IOException e) {
      return composeCommand + " is not installed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public DeployResult deploy(Deployment deployment, JobLog log) throws DeploymentFailure {
    ComposeSettings settings = deployment.target().getSpec().compose();
    byte[] lock =
        ComposeLockfile.render(
            settings.template(), deployment.targetName(), deployment.components());
    String lockDigest = Sha256.digest(lock);
    log.info("rendered " + ComposeLockfile.FILE + " " + lockDigest);
    for (ComponentDigest c : deployment.components()) {
      log.info("pulling " + Deployment.pinned(c));
      engine.pullPinned(c.image(), c.digest());
    }
    Path dir = directoryOf(deployment.target(), deployment.dataDirectory());
    Path file = dir.resolve(ComposeLockfile.FILE);
    Path previous = dir.resolve(PREVIOUS);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file) && !java.util.Arrays.equals(Files.readAllBytes(file), lock)) {
        Files.copy(file, previous, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.write(file, lock);
    } catch (IOException e) {
      throw new DeploymentFailure("cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      up(settings.projectName(), file, deployment.waitFor(UP_TIMEOUT, "10m"), log);
      verifyRunning(settings.projectName(), deployment.components());
    } catch (DeploymentFailure failure) {
      if (Files.exists(previous)) {
        log.info("bringing the previous lockfile up again");
        try {
          Files.copy(previous, file, StandardCopyOption.REPLACE_EXISTING);
          up(
              settings.projectName(),
              file,
              new Deployment.Wait(Instant.now().plus(UP_TIMEOUT), "10m"),
              log);
        } catch (IOException | DeploymentFailure again) {
          log.info("restoring the previous lockfile failed too: " + again.getMessage());
        }
      }
      throw failure;
    }
    List<ArtifactRef> artifacts = new ArrayList<>();
    artifacts.add(
        new ArtifactRef(ComposeLockfile.FILE, lockDigest, "application/yaml", file.toString()));
    artifacts.add(Sticker.write(dir, deployment));
    return new DeployResult(observe(deployment.target()), artifacts);
  }

  private void up(String project, Path file, Deployment.Wait wait, JobLog log)
      throws DeploymentFailure {
    List<String> command =
        List.of(
            composeCommand, "-p", project, "-f", file.toString(), "up", "-d", "--remove-orphans");
    log.info("running " + String.join(" ", command));
    try {
      var builder = new ProcessBuilder(command).directory(file.getParent().toFile());
      builder.redirectErrorStream(true);
      builder.environment().put("DOCKER_HOST", engine.host());
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      long millis = Math.max(0, Duration.between(Instant.now(), wait.until()).toMillis());
      if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new DeploymentFailure("docker-compose up did not finish within " + wait.limit());
      }
      output.lines().forEach(line -> log.info("compose: " + line));
      if (process.exitValue() != 0) {
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        throw new DeploymentFailure(
            "docker-compose up failed with exit code " + process.exitValue() + ": " + last);
      }
    } catch (IOException e) {
      throw new DeploymentFailure("cannot run " + composeCommand + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeploymentFailure("interrupted while running docker-compose");
    }
  }

  private void verifyRunning(String project, List<ComponentDigest> components)
      throws DeploymentFailure {
    List<Container> running =
        engine.containers(Map.of(PROJECT_LABEL, project)).stream()
            .filter(c -> "running".equals(c.getState()))
            .toList();
    List<String> missing = new ArrayList<>();
    for (ComponentDigest c : components) {
      String pinned = Deployment.pinned(c);
      boolean found =
          running.stream()
              .anyMatch(container ->
                  c.name().equals(container.getLabels().get(DockerDriver.LABEL_COMPONENT))
                      && pinned.equals(container.getImage()));
      if (!found) {
        missing.add(pinned);
      }
    }
    if (!missing.isEmpty()) {
      throw new DeploymentFailure(
          "after docker-compose up, no running container of project "
              + project
              + " uses "
              + missing);
    }
  }

  @Override
  public List<ComponentDigest> observe(Target target) {
    ComposeSettings settings = target.getSpec().compose();
    List<ComponentDigest> observed = new ArrayList<>();
    for (Container c : engine.containers(Map.of(PROJECT_LABEL, settings.projectName()))) {
      String component = c.getLabels().get(DockerDriver.LABEL_COMPONENT);
      String image = c.getImage();
      if (component == null || !"running".equals(c.getState()) || image == null) {
        continue;
      }
      int at = image.indexOf('@');
      if (at > 0) {
        observed.add(
            new ComponentDigest(component, image.substring(0, at), image.substring(at + 1)));
      }
    }
    observed.sort(Comparator.comparing(ComponentDigest::name));
    return observed;
  }

  static Path directoryOf(Target target, Path dataDirectory) {
    String dir = target.getSpec().compose().workingDirectory();
    return dir != null
        ? Path.of(dir)
        : dataDirectory.resolve("compose").resolve(target.getMetadata().getName());
  }
}
