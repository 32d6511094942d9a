package io.stellaops.supplychain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * moto's server mode (STELLA_MOTO_SERVER, installed by hack/peers/install-moto.sh): the AWS APIs
 * the tests use (ECS; S3 with versioning and Object Lock, which it enforces) on a free local port,
 * one per test JVM. Every ECS service reports {@code runningCount} {@value #RUNNING} (moto runs no
 * tasks), so a service wanting more tasks never becomes steady.
 */
public final class LocalMoto {
  public static final int RUNNING = 2;
  private static String endpoint;

  private LocalMoto() {}

  public static synchronized String endpoint() throws IOException, InterruptedException {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  private static String start() throws IOException, InterruptedException {
    String binary = System.getenv("STELLA_MOTO_SERVER");
    if (binary == null || binary.isBlank()) {
      throw new IllegalStateException(
          "STELLA_MOTO_SERVER must name moto_server (hack/peers/install-moto.sh installs it)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto", ".log");
    var builder =
        new ProcessBuilder(binary, "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MOTO_ECS_SERVICE_RUNNING", Integer.toString(RUNNING));
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited: " + Files.readString(log));
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return "http://127.0.0.1:" + port;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "moto_server did not listen within 60s: " + Files.readString(log));
  }
}
