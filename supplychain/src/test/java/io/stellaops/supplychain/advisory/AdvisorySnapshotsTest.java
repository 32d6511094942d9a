package io.stellaops.supplychain.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.supplychain.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisorySnapshotsTest {
  @TempDir Path tmp;

  @Test
  void loadsTheGoVulnerabilityDatabaseWithoutWithdrawnRecords() throws Exception {
    AdvisoryIndex index = AdvisorySnapshots.load(TestData.path("osv", "golang-vulndb"));
    long files;
    try (Stream<Path> list = Files.list(TestData.path("osv", "golang-vulndb"))) {
      files = list.count();
    }
    assertThat(index.advisories() + index.withdrawn()).isEqualTo((int) files);
    assertThat(index.withdrawn()).isPositive();
    assertThat(index.perEcosystem()).containsKey("Go");
    assertThat(index.digest()).startsWith("sha256:");
    assertThat(index.lookup("Go", "github.com/gin-gonic/gin"))
        .extracting(e -> e.advisory().id())
        .contains("GO-2021-0052");
  }

  @Test
  void readsPypaYamlAndNormalisesPythonNames() throws Exception {
    AdvisoryIndex index = AdvisorySnapshots.load(TestData.path("osv", "pypa-advisory-database"));
    assertThat(index.perEcosystem()).containsKey("PyPI");
    assertThat(index.lookup("PyPI", "JW_Util")).isNotEmpty(); // jw.util
  }

  @Test
  void aZipAndATarballOfTheSameRecordsIndexTheSame() throws Exception {
    Path source = TestData.path("osv", "ghsa-from-osv-scalibr");
    Path zip = tmp.resolve("all.zip");
    Path tgz = tmp.resolve("osv.tar.gz");
    try (var z = new ZipOutputStream(Files.newOutputStream(zip));
        OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tgz));
        var tar = new TarArchiveOutputStream(gz);
        Stream<Path> files = Files.list(source)) {
      for (Path f : files.sorted().toList()) {
        byte[] bytes = Files.readAllBytes(f);
        z.putNextEntry(new ZipEntry(f.getFileName().toString()));
        z.write(bytes);
        z.closeEntry();
        var entry = new TarArchiveEntry("osv/" + f.getFileName());
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    AdvisoryIndex fromDir = AdvisorySnapshots.load(source);
    AdvisoryIndex fromZip = AdvisorySnapshots.load(zip);
    AdvisoryIndex fromTar = AdvisorySnapshots.load(tgz);
    assertThat(fromZip.advisories())
        .isEqualTo(fromDir.advisories())
        .isEqualTo(fromTar.advisories());
    assertThat(fromZip.perEcosystem()).isEqualTo(fromTar.perEcosystem());
    assertThat(fromZip.digest()).isNotEqualTo(fromTar.digest()); // the bytes loaded differ
  }

  @Test
  void oneBrokenRecordRejectsTheSnapshotNamingTheFile() throws IOException {
    Files.copy(
        TestData.path("osv", "golang-vulndb", "GO-2021-0052.json"),
        tmp.resolve("GO-2021-0052.json"));
    Files.writeString(
        tmp.resolve("GO-2099-0001.json"), "{\"id\": \"GO-2099-0001\", \"affected\": [");
    assertThatThrownBy(() -> AdvisorySnapshots.load(tmp))
        .isInstanceOf(SnapshotException.class)
        .hasMessageStartingWith("GO-2099-0001.json: not an OSV record")
        .satisfies(e -> assertThat(((SnapshotException) e).file()).isEqualTo("GO-2099-0001.json"));
  }

  static String record(String modified, String fixed) {
    return """
    {"id": "GHSA-dupl-0000-0001", "modified": "%s",
     "affected": [{"package": {"ecosystem": "Maven", "name": "org.example:lib"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
    """
        .formatted(modified, fixed);
  }

  static String fixedIn(AdvisoryIndex index) {
    return index
        .lookup("Maven", "org.example:lib")
        .get(0)
        .affected()
        .ranges()
        .get(0)
        .events()
        .get(1)
        .get("fixed");
  }

  @Test
  void theRecordModifiedLastCountsWhateverTheFileOrder() throws Exception {
    for (String[] names : new String[][] {{"a.json", "b.json"}, {"b.json", "a.json"}}) {
      Path dir = Files.createTempDirectory(tmp, "order");
      Files.writeString(dir.resolve(names[0]), record("2026-01-01T00:00:00Z", "2.0"));
      Files.writeString(dir.resolve(names[1]), record("2026-06-01T00:00:00Z", "3.0"));
      AdvisoryIndex index = AdvisorySnapshots.load(dir);
      assertThat(index.advisories()).isEqualTo(1);
      assertThat(fixedIn(index)).isEqualTo("3.0");
    }
  }

  @Test
  void theSameRecordTwiceIsOneAndATieIsRefusedNamingBothFiles() throws Exception {
    // the Go database writes a placeholder time on every record
    Files.writeString(tmp.resolve("a.json"), record("0001-01-01T00:00:00Z", "2.0"));
    Files.writeString(tmp.resolve("copy.json"), record("0001-01-01T00:00:00Z", "2.0"));
    assertThat(AdvisorySnapshots.load(tmp).advisories()).isEqualTo(1);
    Files.writeString(tmp.resolve("b.json"), record("0001-01-01T00:00:00Z", "3.0"));
    assertThatThrownBy(() -> AdvisorySnapshots.load(tmp))
        .isInstanceOf(SnapshotException.class)
        .hasMessage(
            "b.json: holds GHSA-dupl-0000-0001 as a.json does, with the same modified time"
                + " (0001-01-01T00:00:00Z) and other content: which one counts cannot be"
                + " decided; remove one");
  }

  @Test
  void aRecordWithoutIdAndAnUnknownFormatAreRefused() throws IOException {
    Files.writeString(tmp.resolve("x.json"), "{\"affected\": []}");
    assertThatThrownBy(() -> AdvisorySnapshots.load(tmp)).hasMessage("x.json: a record has no id");
    Path text = tmp.resolve("osv.txt");
    Files.writeString(text, "not an archive");
    assertThatThrownBy(() -> AdvisorySnapshots.load(text))
        .hasMessageContaining("is neither a directory, a .zip nor a .tar.gz");
    assertThatThrownBy(() -> AdvisorySnapshots.load(tmp.resolve("missing")))
        .hasMessageEndingWith("does not exist");
  }

  @Test
  void mountedConfigMapLayoutIsReadOnce() throws Exception {
    // a ConfigMap volume: files are links into ..data, itself a link to a hidden directory
    Path data = Files.createDirectories(tmp.resolve("..2026_11_23"));
    Files.copy(TestData.path("osv", "golang-vulndb", "GO-2021-0052.json"), data.resolve("a.json"));
    Files.createSymbolicLink(tmp.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(tmp.resolve("a.json"), Path.of("..data", "a.json"));
    AdvisoryIndex index = AdvisorySnapshots.load(tmp);
    assertThat(index.advisories()).isEqualTo(1);
  }

  @Test
  void severityComesFromTheCvssVectorThenTheDatabasesWord() throws Exception {
    AdvisoryIndex index = AdvisorySnapshots.load(TestData.path("osv", "ghsa-from-osv-scalibr"));
    var entry =
        index.lookup("Maven", "org.apache.httpcomponents:httpclient").stream()
            .filter(e -> e.advisory().id().equals("GHSA-7r82-7xv7-xcpj"))
            .findFirst()
            .orElseThrow();
    assertThat(entry.advisory().score()).isNotNull();
    assertThat(entry.advisory().severity()).isEqualTo(Severity.ofScore(entry.advisory().score()));
    assertThat(Severity.ofWord("MODERATE")).isEqualTo(Severity.MEDIUM);
    assertThat(Severity.ofScore(9.8)).isEqualTo(Severity.CRITICAL);
    assertThat(Severity.ofScore(0)).isEqualTo(Severity.UNKNOWN);
  }
}
