package io.stellaops.supplychain.oci;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's docker-registry (distribution 2.8) on a loopback port with its storage in a temporary
 * directory; plain HTTP, as registries on 127.0.0.0/8 are used. Distribution 2.8 has no OCI
 * referrers API, so {@link #startWithReferrersApi} starts go-containerregistry's registry
 * (hack/peers/referrers-registry) for the registries that have one.
 */
public final class LocalRegistry implements AutoCloseable {
  private Process process;
  private final Path dir;
  private final String address;
  private final int port;
  private final java.util.List<String> command;

  private LocalRegistry(
      Process process, java.util.List<String> command, Path dir, String address, int port) {
    this.process = process;
    this.command = java.util.List.copyOf(command);
    this.dir = dir;
    this.address = address;
    this.port = port;
  }

  /**
   * An outage: the registry process is killed; nothing listens on its port until {@link #recover}.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Starts the registry again on the same port, with the same storage. */
  public void recover() throws IOException, InterruptedException {
    if (process.isAlive()) {
      return;
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    awaitReady();
  }

  /**
   * The registry loses {@code repository} (as after its deletion or a garbage collection): stopped,
   * the repository's storage removed, started again.
   */
  public void forget(String repository) throws IOException, InterruptedException {
    kill();
    Path repo = dir.resolve("data/docker/registry/v2/repositories").resolve(repository);
    if (Files.isDirectory(repo)) {
      try (var paths = Files.walk(repo)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    recover();
  }

  /**
   * A hang: the process is stopped (SIGSTOP); the kernel still accepts connections on its port, but
   * nothing answers until {@link #resume}.
   */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    int exit =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + exit);
    }
  }

  public static LocalRegistry start() throws IOException, InterruptedException {
    return start(null, null, "127.0.0.1");
  }

  /**
   * A registry that takes only Bearer tokens from {@code tokens} (distribution's {@code auth.token}
   * with the token server's certificate as its root), as Docker Hub, Harbor and GitLab do.
   */
  public static LocalRegistry startWithTokenAuth(LocalTokenServer tokens)
      throws IOException, InterruptedException {
    return start(
        dir ->
            """
            auth:
              token:
                realm: %s
                service: %s
                issuer: %s
                rootcertbundle: %s
            """
                .formatted(
                    tokens.realm(),
                    LocalTokenServer.SERVICE,
                    LocalTokenServer.ISSUER,
                    tokens.rootCertBundle()),
        "127.0.0.1");
  }

  /** A registry that serves only {@code user} with {@code password} (HTTP basic, htpasswd). */
  public static LocalRegistry startWithBasicAuth(String user, String password)
      throws IOException, InterruptedException {
    return start(user, password, "127.0.0.1");
  }

  /**
   * A registry that answers {@code GET /v2/<name>/referrers/<digest>} (OCI distribution 1.1), as
   * Harbor, zot, ECR and Artifact Registry do; cosign then stores bundles there instead of under a
   * fallback tag. In memory, anonymous.
   */
  public static LocalRegistry startWithReferrersApi() throws IOException, InterruptedException {
    String binary = System.getenv("STELLA_REFERRERS_REGISTRY");
    if (binary == null || !Files.isExecutable(Path.of(binary))) {
      throw new IllegalStateException(
          "STELLA_REFERRERS_REGISTRY must name the referrers registry"
              + " (hack/peers/build-referrers-registry.sh builds it)");
    }
    int port = freePort();
    Path dir = Files.createTempDirectory("stella-registry");
    var builder =
        new ProcessBuilder(binary, "-address", "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile());
    return started(builder, dir, "127.0.0.1", port);
  }

  /** A registry listening on {@code address}, one of this host's own. */
  public static LocalRegistry startOn(String address) throws IOException, InterruptedException {
    return start(null, null, address);
  }

  private static LocalRegistry start(String user, String password, String address)
      throws IOException, InterruptedException {
    return start(dir -> user == null ? "" : htpasswd(dir, user, password), address);
  }

  /** The config's {@code auth} section, written into the registry's directory if it needs files. */
  private interface Auth {
    String yaml(Path dir) throws IOException;
  }

  private static LocalRegistry start(Auth auth, String address)
      throws IOException, InterruptedException {
    Path binary =
        Path.of(System.getenv().getOrDefault("STELLA_REGISTRY", "/usr/bin/docker-registry"));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary
              + " not found: install Debian's docker-registry (hack/install-prerequisites.sh does)");
    }
    int port = freePort();
    Path dir = Files.createTempDirectory("stella-registry");
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log: {level: warn}
        storage:
          filesystem: {rootdirectory: %s}
          delete: {enabled: true}
        http:
          addr: %s:%d
        """
                .formatted(dir.resolve("data"), address, port)
            + auth.yaml(dir));
    var builder =
        new ProcessBuilder(binary.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile());
    return started(builder, dir, address, port);
  }

  private static LocalRegistry started(ProcessBuilder builder, Path dir, String address, int port)
      throws IOException, InterruptedException {
    Process process = builder.start();
    // a test class that never closes its registry must not leave the process behind
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    var registry = new LocalRegistry(process, builder.command(), dir, address, port);
    registry.awaitReady();
    return registry;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String htpasswd(Path dir, String user, String password) throws IOException {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Path file = dir.resolve("htpasswd");
    Files.writeString(
        file, user + ":" + OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 6) + "\n");
    return """
    auth:
      htpasswd: {realm: stella-test, path: %s}
    """
        .formatted(file);
  }

  /** {@code <address>:<port>}, the registry part of image names. */
  public String host() {
    return address + ":" + port;
  }

  public int port() {
    return port;
  }

  /**
   * Every manifest digest {@code repository:tag} has ever pointed to, read from distribution's
   * storage (its tag index keeps one entry per manifest the tag was pushed with).
   */
  public java.util.List<String> tagHistory(String repository, String tag) throws IOException {
    Path index =
        dir.resolve("data/docker/registry/v2/repositories")
            .resolve(repository)
            .resolve("_manifests/tags")
            .resolve(tag)
            .resolve("index/sha256");
    if (!Files.isDirectory(index)) {
      return java.util.List.of();
    }
    try (var entries = Files.list(index)) {
      return entries.map(p -> "sha256:" + p.getFileName()).sorted().toList();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    var client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        var response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 || response.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the registry did not answer on " + host());
  }

  @Override
  public void close() {
    process.destroy();
  }
}
