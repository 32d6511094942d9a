package io.stellaops.supplychain.advisory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One OSV record (ossf.github.io/osv-schema), the fields matching and reporting need. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OsvRecord(
    String id,
    String modified,
    String withdrawn,
    List<String> aliases,
    String summary,
    List<SeverityScore> severity,
    List<Affected> affected,
    @JsonProperty("database_specific") JsonNode databaseSpecific) {

  public OsvRecord {
    aliases = present(aliases);
    severity = present(severity);
    affected = present(affected);
  }

  /** The list without JSON nulls, which name nothing (empty when absent). */
  static <T> List<T> present(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SeverityScore(String type, String score) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Affected(
      @JsonProperty("package") Package pkg,
      List<Range> ranges,
      List<String> versions,
      @JsonProperty("database_specific") JsonNode databaseSpecific,
      @JsonProperty("ecosystem_specific") JsonNode ecosystemSpecific) {
    public Affected {
      ranges = present(ranges);
      versions = present(versions);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Package(String ecosystem, String name, String purl) {}

  /** A range: {@code SEMVER}, {@code ECOSYSTEM} or {@code GIT} with its events. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Range(String type, String repo, List<Map<String, String>> events) {
    public Range {
      events = present(events);
    }
  }
}
