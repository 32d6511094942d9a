package io.stellaops.supplychain.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.sbom.Sbom;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherTest {
  static AdvisoryIndex index(String records) throws Exception {
    return AdvisorySnapshots.document("records.json", records.getBytes(StandardCharsets.UTF_8));
  }

  static Sbom sbom(String components) throws Exception {
    return Sbom.parse(
        ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": ["
                + components
                + "]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  static final String AZURE =
      """
      [{"id": "GO-2099-0001", "modified": "2099-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Go", "name": "github.com/Azure/azure-sdk-for-go"},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}]
      """;

  @Test
  void goModulePathsKeepTheirCase() throws Exception {
    var report =
        Matcher.match(
            sbom(
                "{\"type\": \"library\", \"bom-ref\": \"azure\", \"name\": \"azure-sdk-for-go\","
                    + " \"version\": \"v1.0.0\","
                    + " \"purl\": \"pkg:golang/github.com/Azure/azure-sdk-for-go@v1.0.0\"}"),
            index(AZURE),
            VexStatements.none(),
            null);
    assertThat(report.findings()).extracting(Finding::id).containsExactly("GO-2099-0001");
    assertThat(report.findings().get(0).packageName())
        .isEqualTo("github.com/Azure/azure-sdk-for-go");
    assertThat(
            PackageCoordinates.goModulePath(
                "pkg:golang/github.com/Azure/go%2Dx/v2@v2.0.0?a=b@c#sub"))
        .isEqualTo("github.com/Azure/go-x/v2");
  }

  @Test
  void noAdvisoryDataIsNotClean() throws Exception {
    var report =
        Matcher.match(
            sbom(
                """
                {"type": "library", "bom-ref": "deb-1", "name": "openssl", "version": "1.1.1n-0+deb11u3",
                 "purl": "pkg:deb/debian/openssl@1.1.1n-0+deb11u3?distro=debian-11"},
                {"type": "library", "bom-ref": "go-1", "name": "azure", "version": "v1.3.0",
                 "purl": "pkg:golang/github.com/Azure/azure-sdk-for-go@v1.3.0"},
                {"type": "operating-system", "bom-ref": "os", "name": "debian", "version": "11"}
                """),
            index(AZURE),
            VexStatements.none(),
            null);
    assertThat(report.findings()).isEmpty();
    assertThat(report.componentsChecked()).as("only the Go module").isEqualTo(1);
    assertThat(report.uncheckedByGroup())
        .isEqualTo(Map.of("Debian:11", 1, FindingsReport.NO_PACKAGE_URL, 1));
    assertThat(report.unchecked())
        .contains(
            new FindingsReport.Unchecked(
                "deb-1",
                "openssl",
                "1.1.1n-0+deb11u3",
                "pkg:deb/debian/openssl@1.1.1n-0+deb11u3?distro=debian-11",
                "Debian:11",
                "no advisory data for Debian:11 is loaded"));
  }

  @Test
  void aComponentThatCannotBeReadIsNamedWithWhy() throws Exception {
    var report =
        Matcher.match(
            sbom(
                """
                {"type": "library", "bom-ref": "broken", "name": "x", "version": "1", "purl": "pkg:/x@1"},
                {"type": "library", "bom-ref": "noversion", "name": "y", "purl": "pkg:npm/y"},
                {"type": "library", "bom-ref": "generic", "name": "z", "version": "1", "purl": "pkg:generic/z@1"}
                """),
            List.of(index(AZURE)),
            VexStatements.none(),
            null);
    assertThat(report.componentsChecked()).isZero();
    assertThat(report.unchecked())
        .extracting(FindingsReport.Unchecked::bomRef, FindingsReport.Unchecked::group)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("broken", PackageCoordinates.INVALID),
            org.assertj.core.groups.Tuple.tuple("noversion", "pkg:npm"),
            org.assertj.core.groups.Tuple.tuple("generic", "pkg:generic"));
    assertThat(report.unchecked().get(0).reason()).startsWith("invalid package URL: ");
    assertThat(report.unchecked().get(2).reason())
        .isEqualTo("no OSV ecosystem for package URL type generic");
  }

  @Test
  void aNonVersionNeverFallsInsideARange() throws Exception {
    var report =
        Matcher.match(
            sbom(
                "{\"type\": \"library\", \"bom-ref\": \"main\", \"name\": \"azure\","
                    + " \"version\": \"(devel)\","
                    + " \"purl\": \"pkg:golang/github.com/Azure/azure-sdk-for-go@(devel)\"}"),
            index(AZURE),
            VexStatements.none(),
            null);
    // osv-scanner reads (devel) as the lowest version and reports GO-2099-0001
    assertThat(report.findings()).isEmpty();
    assertThat(report.componentsChecked()).isZero();
    assertThat(report.unchecked())
        .singleElement()
        .satisfies(u -> {
          assertThat(u.group()).isEqualTo(Matcher.INVALID_VERSION);
          assertThat(u.reason())
              .isEqualTo(
                  "\"(devel)\" is not a Go version: no advisory range can hold it, only listed"
                      + " versions were matched");
        });
  }

  @Test
  void aNonVersionAnAdvisoryListsIsStillAFinding() throws Exception {
    var index =
        index(
            """
            [{"id": "PYSEC-2099-1", "modified": "2099-01-01T00:00:00Z",
              "affected": [{"package": {"ecosystem": "PyPI", "name": "pywps"},
                            "versions": ["trunk"],
                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}]
            """);
    var report =
        Matcher.match(
            sbom(
                "{\"type\": \"library\", \"name\": \"pywps\", \"version\": \"trunk\","
                    + " \"purl\": \"pkg:pypi/pywps@trunk\"},"
                    + "{\"type\": \"library\", \"name\": \"pywps\", \"version\": \"main\","
                    + " \"purl\": \"pkg:pypi/pywps@main\"}"),
            index,
            VexStatements.none(),
            null);
    assertThat(report.findings()).extracting(Finding::version).containsExactly("trunk");
    assertThat(report.uncheckedByGroup()).isEqualTo(Map.of(Matcher.INVALID_VERSION, 2));
  }
}
