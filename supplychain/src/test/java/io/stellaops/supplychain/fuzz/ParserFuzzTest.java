package io.stellaops.supplychain.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.advisory.SnapshotException;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.DsseVerificationException;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.findings.Matcher;
import io.stellaops.supplychain.findings.VexException;
import io.stellaops.supplychain.findings.VexStatements;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.provenance.SlsaProvenance;
import io.stellaops.supplychain.sbom.Sbom;
import io.stellaops.supplychain.sbom.SbomException;
import io.stellaops.supplychain.time.GoDuration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Every parser of outside input, fed mutations of real documents ({@link Fuzz}): SBOMs, OSV records
 * and archives, VEX documents, DSSE envelopes and in-toto statements, SLSA provenance, registry
 * manifests and referrer indexes served by a registry, image names, durations. Each may only return
 * or throw its typed failure, within the time bound.
 */
class ParserFuzzTest {

  @Test
  void sboms() throws Exception {
    var report =
        Fuzz.run(
            "Sbom.parse",
            files(TestData.path("sbom"), 40, ".json", ".xml"),
            Set.of(SbomException.class),
            Sbom::parse);
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void osvRecords() throws Exception {
    var report =
        Fuzz.run(
            "AdvisorySnapshots.document",
            files(TestData.path("osv", "ghsa-from-osv-scalibr"), 40, ".json"),
            Set.of(SnapshotException.class),
            bytes -> AdvisorySnapshots.document("record.json", bytes));
    assertThat(report.accepted()).isPositive();
    Fuzz.run(
        "AdvisorySnapshots.document (YAML)",
        files(TestData.path("osv", "pypa-advisory-database"), 40, ".yaml"),
        Set.of(SnapshotException.class),
        bytes -> AdvisorySnapshots.document("record.yaml", bytes));
  }

  /**
   * Matching compares versions of every ecosystem's scheme: mutated advisories against a fixed
   * SBOM, and mutated SBOMs against the fixed advisories, may refuse to parse but never fail to
   * match.
   */
  @Test
  void matchingMutatedAdvisoriesAndSboms() throws Exception {
    byte[] bom =
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
          {"type": "library", "name": "bcprov-jdk15on", "version": "1.59",
           "purl": "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59"},
          {"type": "library", "name": "jinja2", "version": "2.10.1", "purl": "pkg:pypi/jinja2@2.10.1"},
          {"type": "library", "name": "golang.org/x/net", "version": "v0.0.0-20190311183353-d8887717615a",
           "purl": "pkg:golang/golang.org/x/net@v0.0.0-20190311183353-d8887717615a"},
          {"type": "library", "name": "lodash", "version": "4.17.4", "purl": "pkg:npm/lodash@4.17.4"}]}
        """
            .getBytes(StandardCharsets.UTF_8);
    Sbom sbom = Sbom.parse(bom);
    List<byte[]> advisories = new ArrayList<>();
    advisories.addAll(files(TestData.path("osv", "ghsa-from-osv-scalibr"), 20, ".json"));
    advisories.addAll(files(TestData.path("osv", "golang-vulndb"), 20, ".json"));
    Fuzz.run(
        "AdvisorySnapshots.document + Matcher.match",
        advisories,
        Set.of(SnapshotException.class),
        bytes -> {
          AdvisoryIndex index = AdvisorySnapshots.document("record.json", bytes);
          Matcher.match(sbom, List.of(index), VexStatements.none(), "sha256:" + "a".repeat(64));
        });
    AdvisoryIndex real = AdvisorySnapshots.load(TestData.osvSnapshot());
    var report =
        Fuzz.run(
            "Sbom.parse + Matcher.match",
            List.of(bom),
            Set.of(SbomException.class),
            bytes ->
                Matcher.match(
                    Sbom.parse(bytes),
                    List.of(real),
                    VexStatements.none(),
                    "sha256:" + "a".repeat(64)));
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void osvArchives() throws Exception {
    List<byte[]> records = files(TestData.path("osv", "golang-vulndb"), 6, ".json");
    var zipped = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(zipped)) {
      for (int i = 0; i < records.size(); i++) {
        zip.putNextEntry(new ZipEntry("GO-" + i + ".json"));
        zip.write(records.get(i));
        zip.closeEntry();
      }
    }
    var report =
        Fuzz.run(
            "AdvisorySnapshots.archive",
            List.of(zipped.toByteArray()),
            // IOException: a broken zip; every caller reports it as the snapshot's failure
            Set.of(SnapshotException.class, IOException.class),
            bytes -> AdvisorySnapshots.archive("all.zip", new ByteArrayInputStream(bytes)));
    assertThat(report.cases()).isEqualTo(Fuzz.CASES);
  }

  @Test
  void vexDocuments() throws Exception {
    var report =
        Fuzz.run(
            "VexStatements.parse",
            files(TestData.path("vex"), 40, ".json"),
            Set.of(VexException.class),
            bytes -> VexStatements.parse(Map.of("vex.json", bytes)));
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void dsseEnvelopesAndStatements() throws Exception {
    var keys = PemKeys.generateP256();
    List<byte[]> corpus = new ArrayList<>();
    for (String predicate :
        List.of(
            "{\"buildDefinition\": {\"buildType\": \"x\"}, \"runDetails\": {\"builder\": {\"id\": \"b\"}}}",
            "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}")) {
      byte[] statement =
          ("{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": [{\"name\": \"r/a\","
                  + " \"digest\": {\"sha256\": \""
                  + "a".repeat(64)
                  + "\"}}], \"predicateType\": \"https://slsa.dev/provenance/v1\", \"predicate\": "
                  + predicate
                  + "}")
              .getBytes(StandardCharsets.UTF_8);
      Envelope envelope = Dsse.sign(Statement.PAYLOAD_TYPE, statement, keys.getPrivate(), "k");
      corpus.add(JsonMapper.builder().build().writeValueAsBytes(envelope));
    }
    var report =
        Fuzz.run(
            "Envelope.parse + Statement.read + Dsse.verify",
            corpus,
            Set.of(SignedJson.Rejected.class, DsseVerificationException.class),
            bytes -> {
              Envelope envelope = Envelope.parse(bytes);
              Statement.read(envelope);
              Dsse.verify(envelope, keys.getPublic());
            });
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void slsaProvenance() throws Exception {
    byte[] v1 =
        """
        {"buildDefinition": {"buildType": "https://actions.github.io/buildtypes/workflow/v1",
          "externalParameters": {"workflow": {"ref": "refs/heads/main",
            "repository": "https://github.com/shop/api", "path": ".github/workflows/release.yml"}},
          "resolvedDependencies": [{"uri": "git+https://github.com/shop/api@refs/heads/main",
            "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}]},
         "runDetails": {"builder": {"id": "https://github.com/actions/runner"},
           "metadata": {"invocationId": "1"}}}
        """
            .getBytes(StandardCharsets.UTF_8);
    var mapper = JsonMapper.builder().build();
    var report =
        Fuzz.run(
            "SlsaProvenance.of",
            List.of(v1),
            // the predicate reaches it parsed (a statement SignedJson accepted); JSON errors are
            // the test's own parse
            Set.of(IllegalArgumentException.class, IOException.class),
            bytes -> SlsaProvenance.of(SlsaProvenance.V1, mapper.readTree(bytes)));
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void imageNamesAndDurations() {
    List<byte[]> names =
        Stream.of(
                "registry.example.com:5000/shop/api",
                "nginx",
                "ghcr.io/stellaops/agents/docker",
                "localhost/a__b/c-d.e",
                "[::1]:5000/x/y")
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .toList();
    Fuzz.run(
        "ImageReference.parse",
        names,
        Set.of(IllegalArgumentException.class),
        bytes -> ImageReference.parse(new String(bytes, StandardCharsets.UTF_8)));
    Fuzz.run(
        "GoDuration.parse",
        Stream.of("1h30m", "720h", "1.5s", "-3m", "90d", "0")
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .toList(),
        Set.of(IllegalArgumentException.class),
        bytes -> GoDuration.parse(new String(bytes, StandardCharsets.UTF_8)));
  }

  /**
   * A registry that serves whatever the case says as the manifest or referrers index: the client
   * must refuse it with a RegistryException or read it, never fail otherwise.
   */
  @Test
  void registryManifestsAndReferrerIndexes() throws Exception {
    AtomicReference<byte[]> served = new AtomicReference<>(new byte[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v2/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body = path.contains("/blobs/") ? "layer".getBytes() : served.get();
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type",
                  path.contains("/referrers/")
                      ? "application/vnd.oci.image.index.v1+json"
                      : "application/vnd.oci.image.manifest.v1+json");
          exchange.sendResponseHeaders(path.equals("/v2/") ? 200 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      var client = new RegistryClient(Duration.ofSeconds(5), Set.of(host));
      byte[] manifest =
          """
          {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.empty.v1+json",
             "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
             "size": 2},
           "layers": [{"mediaType": "application/zip",
             "digest": "sha256:%s", "size": 5}]}
          """
              .formatted(Sha256.hexOf(Sha256.digest("layer".getBytes(StandardCharsets.UTF_8))))
              .getBytes(StandardCharsets.UTF_8);
      byte[] index =
          """
          {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
           "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:%s", "size": 700,
             "artifactType": "application/vnd.dev.sigstore.bundle.v0.3+json",
             "annotations": {"dev.sigstore.bundle.predicateType": "https://sigstore.dev/cosign/sign/v1"}}]}
          """
              .formatted("c".repeat(64))
              .getBytes(StandardCharsets.UTF_8);
      Fuzz.run(
          "RegistryClient.firstLayer",
          List.of(manifest),
          Set.of(RegistryException.class),
          bytes -> {
            served.set(bytes);
            client.firstLayer(host + "/feeds/osv:latest", Optional.empty());
          });
      Fuzz.run(
          "RegistryClient.referrers",
          List.of(index),
          Set.of(RegistryException.class),
          bytes -> {
            served.set(bytes);
            client.referrers(host + "/shop/api", "sha256:" + "a".repeat(64), Optional.empty());
          });
    } finally {
      server.stop(0);
    }
  }

  /** Up to {@code max} files under {@code root} ending in one of {@code suffixes}, ≤ 1 MiB each. */
  static List<byte[]> files(Path root, int max, String... suffixes) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      List<byte[]> out = new ArrayList<>();
      for (Path f :
          walk.filter(Files::isRegularFile)
              .filter(f -> Stream.of(suffixes).anyMatch(s -> f.toString().endsWith(s)))
              .sorted()
              .toList()) {
        if (out.size() < max && Files.size(f) <= 1 << 20) {
          out.add(Files.readAllBytes(f));
        }
      }
      assertThat(out).as("corpus under " + root).isNotEmpty();
      return out;
    }
  }
}
