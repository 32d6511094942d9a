package io.stellaops.crds.advisoryfeed;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.stellaops.crds.common.StellaStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loaded snapshot. A snapshot that fails to load sets Ready=False with the file and reason; the
 * previous snapshot keeps serving.
 */
public class AdvisoryFeedStatus extends StellaStatus {
  @JsonPropertyDescription("sha256 of the loaded snapshot.")
  private String snapshotDigest;

  @JsonPropertyDescription("When it was loaded (RFC 3339).")
  private String loadedAt;

  @JsonPropertyDescription("Total advisories loaded (withdrawn ones excluded).")
  private Integer advisories;

  @JsonPropertyDescription("Advisories per OSV ecosystem, e.g. Go: 3263.")
  private Map<String, Integer> ecosystems = new TreeMap<>();

  @JsonPropertyDescription("VEX statements loaded.")
  private Integer vexStatements;

  @JsonPropertyDescription(
      "VEX statements left out because they can never apply (no product, a product named by tag"
          + " instead of digest, a version range of unknown scheme), each naming its document and"
          + " statement; at most 20 are listed.")
  private List<String> vexWarnings;

  public String getSnapshotDigest() {
    return snapshotDigest;
  }

  public void setSnapshotDigest(String snapshotDigest) {
    this.snapshotDigest = snapshotDigest;
  }

  public String getLoadedAt() {
    return loadedAt;
  }

  public void setLoadedAt(String loadedAt) {
    this.loadedAt = loadedAt;
  }

  public Integer getAdvisories() {
    return advisories;
  }

  public void setAdvisories(Integer advisories) {
    this.advisories = advisories;
  }

  public Map<String, Integer> getEcosystems() {
    return ecosystems;
  }

  public void setEcosystems(Map<String, Integer> ecosystems) {
    this.ecosystems = ecosystems;
  }

  public Integer getVexStatements() {
    return vexStatements;
  }

  public void setVexStatements(Integer vexStatements) {
    this.vexStatements = vexStatements;
  }

  public List<String> getVexWarnings() {
    return vexWarnings;
  }

  public void setVexWarnings(List<String> vexWarnings) {
    this.vexWarnings = vexWarnings;
  }
}
