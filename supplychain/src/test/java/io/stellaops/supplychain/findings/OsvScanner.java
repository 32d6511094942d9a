package io.stellaops.supplychain.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Google's osv-scanner (STELLA_OSV_SCANNER, built by hack/peers/build-tools.sh) run offline on an
 * SBOM against a local database made from the same OSV records we load: the independent answer our
 * matcher is checked against.
 */
public final class OsvScanner {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();

  /** The advisory record ids osv-scanner matched per package, grouped as it groups aliases. */
  public record Result(Map<String, List<TreeSet<String>>> groupsByPackage) {}

  private final Path binary;
  private final Path database;

  private OsvScanner(Path binary, Path database) {
    this.binary = binary;
    this.database = database;
  }

  /**
   * osv-scanner with a local database of {@code sources} (directories of OSV JSON or YAML): one
   * {@code all.zip} per ecosystem, as osv.dev publishes them.
   */
  public static OsvScanner withDatabase(List<Path> sources) throws IOException {
    String given = System.getenv("STELLA_OSV_SCANNER");
    if (given == null || !Files.isExecutable(Path.of(given))) {
      throw new IllegalStateException(
          "STELLA_OSV_SCANNER must name an osv-scanner binary (hack/test.sh builds one)");
    }
    Path database = Files.createTempDirectory("osv-scanner-db");
    Map<String, Map<String, byte[]>> byEcosystem = new TreeMap<>();
    for (Path source : sources) {
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          ObjectMapper mapper =
              name.endsWith(".json") ? JSON : name.endsWith(".yaml") ? YAML : null;
          if (mapper == null) {
            continue;
          }
          JsonNode record = mapper.readTree(file.toFile());
          byte[] json = JSON.writeValueAsBytes(record); // osv-scanner reads JSON only
          for (JsonNode affected : record.path("affected")) {
            String ecosystem = affected.path("package").path("ecosystem").asText("");
            if (!ecosystem.isEmpty()) {
              byEcosystem
                  .computeIfAbsent(ecosystem.split(":")[0], e -> new HashMap<>())
                  .put(record.path("id").asText(), json);
            }
          }
        }
      }
    }
    // osv-scanner refuses to scan when an ecosystem of the SBOM has no database: give every
    // ecosystem our SBOMs use one, empty when no record names it
    for (String ecosystem :
        List.of(
            "npm", "Packagist", "crates.io", "RubyGems", "NuGet", "Debian", "Alpine", "Ubuntu")) {
      byEcosystem.computeIfAbsent(ecosystem, e -> new HashMap<>());
    }
    for (var ecosystem : byEcosystem.entrySet()) {
      // osv-scanner 2.5 reads <dir>/osv-scalibr/<ecosystem>/all.zip
      Path zip = database.resolve("osv-scalibr").resolve(ecosystem.getKey()).resolve("all.zip");
      Files.createDirectories(zip.getParent());
      try (OutputStream out = Files.newOutputStream(zip);
          var z = new ZipOutputStream(out)) {
        for (var record : new TreeMap<>(ecosystem.getValue()).entrySet()) {
          z.putNextEntry(new ZipEntry(record.getKey() + ".json"));
          z.write(record.getValue());
          z.closeEntry();
        }
      }
    }
    return new OsvScanner(Path.of(given), database);
  }

  /** Scans {@code sbom} offline; osv-scanner recognises SBOMs by their *.cdx.json name. */
  public Result scan(byte[] sbom) throws IOException, InterruptedException {
    return scan("sbom.cdx.json", sbom);
  }

  /** Scans an SPDX JSON {@code sbom} offline (recognised by its *.spdx.json name). */
  public Result scanSpdx(byte[] sbom) throws IOException, InterruptedException {
    return scan("sbom.spdx.json", sbom);
  }

  /**
   * Scans Maven packages given as {@code group:artifact:version}, written as a gradle.lockfile:
   * osv-scanner 2.5 names Maven packages of a CycloneDX SBOM by artifact alone and so matches none
   * of them, while it reads a lockfile's names whole.
   */
  public Result scanMaven(List<String> coordinates) throws IOException, InterruptedException {
    StringBuilder lockfile = new StringBuilder("# gradle.lockfile\n");
    coordinates.forEach(c -> lockfile.append(c).append("=runtimeClasspath\n"));
    return scan("gradle.lockfile", lockfile.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Result scan(String fileName, byte[] content) throws IOException, InterruptedException {
    return run(fileName, content, false).result();
  }

  /** One timed osv-scanner run: wall time, peak memory (KiB, -1 when unknown), findings. */
  public record Timed(long nanos, long maxRssKib, int findings) {}

  /**
   * Scans {@code sbom} under GNU time (when /usr/bin/time is there) for its wall time and peak
   * resident memory.
   */
  public Timed timedScan(byte[] sbom) throws IOException, InterruptedException {
    Run run = run("sbom.cdx.json", sbom, true);
    int findings = run.result().groupsByPackage().values().stream().mapToInt(List::size).sum();
    return new Timed(run.nanos(), run.maxRssKib(), findings);
  }

  private record Run(Result result, long nanos, long maxRssKib) {}

  /** Runs osv-scanner offline on {@code content} written as {@code fileName}. */
  private Run run(String fileName, byte[] content, boolean measureMemory)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("osv-scan");
    Path file = dir.resolve(fileName);
    Files.write(file, content);
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    Path time = dir.resolve("time.txt");
    boolean gnuTime = measureMemory && Files.isExecutable(Path.of("/usr/bin/time"));
    List<String> command = new java.util.ArrayList<>();
    if (gnuTime) {
      command.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", time.toString()));
    }
    command.addAll(
        List.of(binary.toString(), "scan", "--offline", "--format", "json", "-L", file.toString()));
    var builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY", database.toString());
    builder.environment().put("OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY", database.toString());
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("osv-scanner did not finish within 5 minutes");
    }
    long nanos = System.nanoTime() - start;
    long rss =
        gnuTime
            ? Long.parseLong(
                Files.readString(time).strip().lines().reduce((a, b) -> b).orElse("-1"))
            : -1;
    // exit 1: vulnerabilities found; 0: none; 128 with no package: an SBOM without purls
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    if (process.exitValue() == 128 && errors.contains("No package sources found")) {
      return new Run(new Result(Map.of()), nanos, rss);
    }
    if (process.exitValue() > 1) {
      throw new IllegalStateException("osv-scanner exited " + process.exitValue() + ": " + errors);
    }
    Map<String, List<TreeSet<String>>> groups = new TreeMap<>();
    for (JsonNode result : JSON.readTree(out.toFile()).path("results")) {
      for (JsonNode pkg : result.path("packages")) {
        JsonNode p = pkg.path("package");
        String key =
            key(p.path("ecosystem").asText(), p.path("name").asText(), p.path("version").asText());
        for (JsonNode group : pkg.path("groups")) {
          TreeSet<String> ids = new TreeSet<>();
          group.path("ids").forEach(id -> ids.add(id.asText()));
          groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(ids);
        }
      }
    }
    return new Run(new Result(groups), nanos, rss);
  }

  /** How packages are named when both answers are compared. */
  public static String key(String ecosystem, String name, String version) {
    return ecosystem.split(":")[0] + " " + name + "@" + version;
  }
}
