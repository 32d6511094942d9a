package io.stellaops.controllers.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.FindingsSummary.OpenFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseFindingsTest {
  static FindingsSummary open(OpenFinding... findings) {
    return new FindingsSummary(
        null, null, 0, 0, 0, 0, 0, 0, null, null, null, null, List.of(findings), null, null);
  }

  static OpenFinding finding(String id, List<String> aliases, String purl) {
    return new OpenFinding(id, aliases, "high", purl, List.of(), null);
  }

  @Test
  void newFindingsAreNamedOnceEvenInSeveralPackagesAndAliasesCountAsKnown() {
    var before = open(finding("GHSA-1", List.of("CVE-2024-1"), "pkg:golang/a@1"));
    var now =
        open(
            finding("GO-2024-1", List.of("CVE-2024-1"), "pkg:golang/a@1"),
            finding("GHSA-2", List.of(), "pkg:golang/a@1"),
            finding("GHSA-2", List.of(), "pkg:golang/b@2"));
    assertThat(ReleaseFindings.newIds(before, now)).containsExactly("GHSA-2 (high)");
    assertThat(ReleaseFindings.newIds(null, now)).isEmpty();
  }
}
