package io.stellaops.operator;

import io.stellaops.controllers.PromotionTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's main class in a JVM of its own, as a Deployment runs it (default heap), its output
 * appended to {@code operator.log} in a work directory.
 */
final class OperatorProcess implements AutoCloseable {
  final Process process;
  final int healthPort;
  final Path log;
  final long started = System.nanoTime();

  private OperatorProcess(Process process, int healthPort, Path log) {
    this.process = process;
    this.healthPort = healthPort;
    this.log = log;
  }

  /** Started against the API server of {@code kubeconfig}; {@code settings} add or override. */
  static OperatorProcess start(Path work, Path kubeconfig, Map<String, String> settings)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    var builder =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), StellaOperator.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve("operator.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.putAll(LocalOperator.loopback(PromotionTestSupport.SYSTEM));
    env.putAll(settings);
    return new OperatorProcess(
        builder.start(),
        Integer.parseInt(env.get("STELLA_HEALTH_PORT")),
        work.resolve("operator.log"));
  }

  /** Seconds from process start to a 200 from /health/readiness. */
  double awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + healthPort + "/health/readiness");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the operator exited with " + process.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return (System.nanoTime() - started) / 1e9;
        }
      } catch (java.io.IOException notListening) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the operator was not Ready within 5 minutes");
  }

  /** RSS, live heap after a full GC (jcmd), CPU seconds so far (/proc). */
  String resources() throws Exception {
    long pid = process.pid();
    jcmd("GC.run");
    String heap = jcmd("GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(heap);
    long heapKb = used.find() ? Long.parseLong(used.group(1)) : -1;
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
    long rssKb = rss.find() ? Long.parseLong(rss.group(1)) : -1;
    String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    double cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
    return "RSS %d MiB, heap after GC %d MiB, CPU %.0f s".formatted(rssKb >> 10, heapKb >> 10, cpu);
  }

  /** Bytes of live objects: the total of a class histogram, which runs a full collection first. */
  long liveBytes() throws Exception {
    Matcher total =
        Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
    return total.find() ? Long.parseLong(total.group(1)) : -1;
  }

  /** Live bytes by class (a class histogram, which runs a full collection first). */
  Map<String, Long> liveBytesByClass() throws Exception {
    Map<String, Long> bytes = new java.util.HashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)")
            .matcher(jcmd("GC.class_histogram"));
    while (row.find()) {
      bytes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
    }
    return bytes;
  }

  /** The {@code n} classes with the most live bytes (jcmd GC.class_histogram), one per line. */
  String heapTop(int n) throws Exception {
    String histogram = jcmd("GC.class_histogram");
    StringBuilder top = new StringBuilder();
    Matcher row =
        Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(histogram);
    for (int i = 0; i < n && row.find(); i++) {
      top.append(
          "      %6d MiB %9d × %s%n"
              .formatted(
                  Long.parseLong(row.group(2)) >> 20, Long.parseLong(row.group(1)), row.group(3)));
    }
    return top.toString().stripTrailing();
  }

  /** A diagnostic command run in the operator's JVM by the jcmd beside this JVM's java. */
  private String jcmd(String command) throws Exception {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
    return run(jcmd.toString(), String.valueOf(process.pid()), command);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
