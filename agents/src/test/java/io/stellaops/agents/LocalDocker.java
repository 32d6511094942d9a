package io.stellaops.agents;

import io.stellaops.agents.driver.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Docker Engine for tests: Debian's dockerd started as root with its socket, data root and
 * exec root in a temporary directory, one per test JVM, stopped when the JVM exits. {@code
 * STELLA_DOCKER_HOST} points the tests at an engine that already runs instead.
 */
public final class LocalDocker {
  private static DockerEngine engine;

  private LocalDocker() {}

  public static synchronized DockerEngine engine() throws IOException, InterruptedException {
    if (engine == null) {
      String given = System.getenv("STELLA_DOCKER_HOST");
      engine = new DockerEngine(given != null ? given : startDockerd());
    }
    return engine;
  }

  /**
   * Removes containers and networks before dockerd stops: a network left behind keeps its Linux
   * bridge and route on the host, and enough of them exhaust dockerd's address pools.
   */
  private static void removeEverything(String host) {
    try {
      var client = new DockerEngine(host).client();
      client
          .listContainersCmd()
          .withShowAll(true)
          .exec()
          .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
      client.pruneCmd(com.github.dockerjava.api.model.PruneType.NETWORKS).exec();
    } catch (RuntimeException e) {
      // dockerd is already gone; nothing to clean
    }
  }

  private static String startDockerd() throws IOException, InterruptedException {
    Path binary = Path.of(System.getenv().getOrDefault("STELLA_DOCKERD", "/usr/sbin/dockerd"));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " not found: install Debian's docker.io (hack/install-prerequisites.sh does)");
    }
    // unix socket paths are limited to 108 bytes: keep the directory short
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sd");
    String host = "unix://" + dir.resolve("docker.sock");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--host",
                host,
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                dir.resolve("docker.pid").toString(),
                "--bridge",
                "none",
                "--iptables=false",
                // networks of tests get /24s from a private range: many runs never exhaust it
                "--default-address-pool",
                "base=10.213.0.0/16,size=24")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dockerd.log").toFile())
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              removeEverything(host);
              process.destroy();
              try {
                process.waitFor();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }));
    var probe = new DockerEngine(host);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "dockerd exited: " + Files.readString(dir.resolve("dockerd.log")));
      }
      if (Files.exists(dir.resolve("docker.sock")) && probe.unreachableReason() == null) {
        return host;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "dockerd did not answer within 60s: " + Files.readString(dir.resolve("dockerd.log")));
  }
}
