package io.stellaops.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Nomad dev agent (STELLA_NOMAD, built by hack/peers/build-nomad.sh), server and client in
 * one process on free local ports, its docker driver on {@link LocalDocker}'s engine; one per test
 * JVM. {@link #run} registers a job from HCL with the nomad CLI, as a platform team does.
 */
public final class LocalNomad {
  private static String address;

  private LocalNomad() {}

  public static synchronized String address() throws Exception {
    if (address == null) {
      address = start();
    }
    return address;
  }

  private static String binary() {
    String binary = System.getenv("STELLA_NOMAD");
    if (binary == null || binary.isBlank()) {
      throw new IllegalStateException(
          "STELLA_NOMAD must name a nomad binary (hack/peers/build-nomad.sh builds one)");
    }
    return binary;
  }

  private static String start() throws Exception {
    String dockerHost = LocalDocker.engine().host();
    Path dir = Files.createTempDirectory("stella-nomad");
    int http = freePort();
    Files.writeString(
        dir.resolve("agent.hcl"),
        """
        bind_addr = "127.0.0.1"
        ports {
          http = %d
          rpc  = %d
          serf = %d
        }
        plugin "docker" {
          config {
            endpoint = "%s"
          }
        }
        """
            .formatted(http, freePort(), freePort(), dockerHost));
    Path log = dir.resolve("nomad.log");
    Process process =
        new ProcessBuilder(
                binary(), "agent", "-dev", "-config", dir.resolve("agent.hcl").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              process.destroy();
              try {
                process.waitFor(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }));
    String base = "http://127.0.0.1:" + http;
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nomad agent exited: " + Files.readString(log));
      }
      try {
        var nodes =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/nodes?resources=false")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode node : new ObjectMapper().readTree(nodes.body())) {
          if (node.path("Drivers").path("docker").path("Healthy").asBoolean()) {
            return base;
          }
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "nomad's docker driver was not healthy within 90s: " + Files.readString(log));
  }

  /** {@code nomad job run} of {@code hcl}: waits until its deployment finished, then returns. */
  public static String run(String hcl) throws Exception {
    Path file = Files.createTempFile("job", ".nomad.hcl");
    Files.writeString(file, hcl);
    List<String> command =
        new ArrayList<>(List.of(binary(), "job", "run", "-address=" + address(), file.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("nomad job run failed: " + output);
    }
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
