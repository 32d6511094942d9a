package io.stellaops.supplychain.findings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.packageurl.PackageURL;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.sbom.Sbom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our findings against osv-scanner's, run offline on the same SBOM with a database of the same OSV
 * records (testdata/osv): every SBOM in testdata/sbom, and probe SBOMs listing the versions the
 * Maven and PyPI advisories name (introduced, fixed, last affected, listed), where no real SBOM of
 * those ecosystems meets the advisories we have. Per package, the advisory records matched and
 * their alias grouping must be the same, except where osv-scanner is known to read OSV differently
 * (each case named by {@link #explain}, and listed in docs/vulnerabilities.md).
 */
class OsvScannerAgreementIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static AdvisoryIndex index;
  static OsvScanner osvScanner;

  @BeforeAll
  static void load() throws Exception {
    List<Path> sources = TestData.osvSources();
    Path snapshot = TestData.osvSnapshot();
    index = AdvisorySnapshots.load(snapshot);
    osvScanner = OsvScanner.withDatabase(sources);
  }

  static Stream<String> sboms() throws Exception {
    Path root = TestData.path("sbom");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(f -> f.toString().endsWith(".json"))
          .forEach(f -> names.add(root.relativize(f).toString()));
    }
    names.sort(null);
    // the same packages written as SPDX 2.3: Maven, Go modules and a syft image SBOM
    names.add("spdx:cyclonedx-bom-examples/dropwizard-1.3.15/bom.json");
    names.add("spdx:cyclonedx-bom-examples/proton-bridge/proton-bridge-v1.8.0.bom.json");
    names.add("spdx:guac-data-syft-cyclonedx/syft-cyclonedx-docker.io-library-docker.latest.json");
    names.add("probe:Maven");
    names.add("probe:PyPI");
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("sboms")
  void findsWhatOsvScannerFinds(String name) throws Exception {
    boolean spdx = name.startsWith("spdx:");
    byte[] original =
        name.startsWith("probe:")
            ? probe(name.substring("probe:".length()))
            : Files.readAllBytes(TestData.path("sbom", spdx ? name.substring(5) : name));
    byte[] bytes = spdx ? SpdxOf.cycloneDx(original) : original;
    Sbom sbom;
    try {
      sbom = Sbom.parse(bytes);
    } catch (io.stellaops.supplychain.sbom.SbomException e) {
      assertThat(name).as("only the invalid fixture may be unreadable: " + e).contains("invalid");
      return;
    }
    FindingsReport ours = Matcher.match(sbom, index, VexStatements.none(), null);
    Map<String, Set<Set<String>>> mine = new TreeMap<>();
    for (Finding f : ours.findings()) {
      mine.computeIfAbsent(
              OsvScanner.key(f.ecosystem(), f.packageName(), f.version()),
              k -> new java.util.HashSet<>())
          .add(new TreeSet<>(f.advisories()));
    }
    Map<String, Set<Set<String>>> theirs = new TreeMap<>();
    (spdx ? osvScanner.scanSpdx(bytes) : osvScanner.scan(bytes))
        .groupsByPackage()
        .forEach((k, groups) -> theirs.put(k, new java.util.HashSet<>(groups)));
    if (spdx) {
      // osv-scanner 2.5 names a golang purl in SPDX by its last path segment (gin for
      // github.com/gin-gonic/gin; go, the standard library, for cloud.google.com/go), matching
      // none: its Go answers come from the same packages as CycloneDX, which it reads whole
      theirs.keySet().removeIf(k -> k.startsWith("Go "));
      osvScanner.scan(original).groupsByPackage().entrySet().stream()
          .filter(e -> e.getKey().startsWith("Go "))
          .forEach(e -> theirs.put(e.getKey(), new java.util.HashSet<>(e.getValue())));
    }
    List<String> maven =
        sbom.components().stream()
            .map(c -> c.purl() == null ? null : coordinates(c.purl()))
            .filter(c -> c != null && c.ecosystem().equals("Maven"))
            .map(c -> c.name() + ":" + c.version())
            .distinct()
            .toList();
    if (!maven.isEmpty()) {
      theirs.keySet().removeIf(k -> k.startsWith("Maven "));
      osvScanner
          .scanMaven(maven)
          .groupsByPackage()
          .forEach((k, groups) -> theirs.put(k, new java.util.HashSet<>(groups)));
    }
    List<String> differences = new ArrayList<>();
    Map<String, Integer> explained = new TreeMap<>();
    Set<String> packages = new TreeSet<>(mine.keySet());
    packages.addAll(theirs.keySet());
    for (String pkg : packages) {
      var a = mine.getOrDefault(pkg, Set.of());
      var b = theirs.getOrDefault(pkg, Set.of());
      if (a.equals(b)) {
        continue;
      }
      Set<Set<String>> onlyOurs = new java.util.HashSet<>(a);
      onlyOurs.removeAll(b);
      Set<Set<String>> onlyTheirs = new java.util.HashSet<>(b);
      onlyTheirs.removeAll(a);
      List<String> reasons = new ArrayList<>();
      for (Set<String> group : onlyOurs) {
        for (String id : group) {
          reasons.add(explain(pkg, id));
        }
      }
      if (!onlyTheirs.isEmpty() || reasons.contains(null)) {
        differences.add(pkg + ": ours " + a + ", osv-scanner " + b);
      } else {
        reasons.forEach(r -> explained.merge(r, 1, Integer::sum));
      }
    }
    explained.forEach((reason, n) ->
        System.out.printf("    %5d more findings than osv-scanner: %s%n", n, reason));
    int groups = theirs.values().stream().mapToInt(Set::size).sum();
    System.out.printf(
        "%-80s components %4d  checked %4d  findings ours %4d  osv-scanner %4d  differences %d%n",
        name,
        sbom.components().size(),
        ours.componentsChecked(),
        ours.findings().size(),
        groups,
        differences.size());
    assertThat(differences).as(name + ": packages where the answers differ").isEmpty();
  }

  private static PackageCoordinates coordinates(String purl) {
    try {
      return PackageCoordinates.of(purl);
    } catch (PackageCoordinates.UncheckableException e) {
      return null;
    }
  }

  /**
   * Why osv-scanner 2.5 misses advisory {@code id} for {@code pkg} ({@code "<ecosystem> <name>@
   * <version>"}) where the OSV spec says it applies, or null when we cannot say.
   */
  private static String explain(String pkg, String id) {
    String ecosystem = pkg.substring(0, pkg.indexOf(' '));
    String name = pkg.substring(pkg.indexOf(' ') + 1, pkg.lastIndexOf('@'));
    String version = pkg.substring(pkg.lastIndexOf('@') + 1);
    for (AdvisoryIndex.Entry e : index.lookup(ecosystem, name)) {
      if (!e.advisory().id().equals(id)) {
        continue;
      }
      List<String> types = e.affected().ranges().stream().map(r -> r.type()).toList();
      int git = types.indexOf("GIT");
      if (git >= 0 && git < types.size() - 1) {
        return "a GIT range before the ECOSYSTEM range: osv-scanner stops reading ranges at it";
      }
      String advisoryName = e.affected().pkg().name();
      String normal = advisoryName.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
      if (ecosystem.equals("PyPI")
          && (!advisoryName.equals(name) || !advisoryName.equals(normal))) {
        return "PyPI name not in PEP 503 normal form ("
            + advisoryName
            + ", "
            + normal
            + " and "
            + name
            + " are one package): osv-scanner compares names byte for byte";
      }
      if (ecosystem.equals("Maven")) {
        var maven = io.stellaops.supplychain.version.VersionOrders.of("Maven").orElseThrow();
        for (var range : e.affected().ranges()) {
          for (var event : range.events()) {
            for (String v : event.values()) {
              if (!v.equals(version) && maven.compare(v, version) == 0) {
                return "Maven version spelled otherwise ("
                    + version
                    + " and "
                    + v
                    + " are one version to Maven): osv-scanner orders them apart";
              }
            }
          }
        }
      }
    }
    return null;
  }

  /**
   * A CycloneDX SBOM of every version the advisories of {@code ecosystem} name, so each range
   * boundary is probed from both sides.
   */
  private static byte[] probe(String ecosystem) throws Exception {
    String dir = ecosystem.equals("Maven") ? "ghsa-from-osv-scalibr" : "pypa-advisory-database";
    Set<String> purls = new TreeSet<>();
    try (Stream<Path> files = Files.walk(TestData.path("osv", dir))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        JsonNode record =
            (file.toString().endsWith(".json") ? JSON : new YAMLMapper()).readTree(file.toFile());
        for (JsonNode affected : record.path("affected")) {
          if (!ecosystem.equals(affected.path("package").path("ecosystem").asText())) {
            continue;
          }
          String name = affected.path("package").path("name").asText();
          Set<String> versions = new TreeSet<>();
          JsonNode listed = affected.path("versions");
          if (!listed.isEmpty()) {
            versions.add(listed.get(0).asText());
            versions.add(listed.get(listed.size() - 1).asText());
          }
          for (JsonNode range : affected.path("ranges")) {
            for (JsonNode event : range.path("events")) {
              event
                  .properties()
                  .forEach(e -> {
                    if (!e.getValue().asText().equals("0")
                        && !range.path("type").asText().equals("GIT")) {
                      versions.add(e.getValue().asText());
                    }
                  });
            }
          }
          for (String version : versions) {
            purls.add(
                ecosystem.equals("Maven")
                    ? new PackageURL(
                            "maven", name.split(":")[0], name.split(":")[1], version, null, null)
                        .canonicalize()
                    : new PackageURL("pypi", null, name.toLowerCase(), version, null, null)
                        .canonicalize());
          }
        }
      }
    }
    ObjectNode bom = JSON.createObjectNode();
    bom.put("bomFormat", "CycloneDX").put("specVersion", "1.5").put("version", 1);
    ArrayNode components = bom.putArray("components");
    for (String purl : purls) {
      PackageURL p = new PackageURL(purl);
      components
          .addObject()
          .put("type", "library")
          .put("bom-ref", purl)
          .put("name", p.getName())
          .put("version", p.getVersion())
          .put("purl", purl);
    }
    return JSON.writeValueAsBytes(bom);
  }
}
