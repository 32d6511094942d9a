package io.stellaops.controllers.advisoryfeed;

import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.findings.VexStatements;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The advisory snapshots and VEX statements each AdvisoryFeed has loaded, shared by the feed and
 * Release controllers. A feed's entry is replaced whole, so readers see the old snapshot or the new
 * one, never a mix; a snapshot that fails to load leaves the previous one in place.
 */
public final class AdvisoryFeeds {
  /** One feed's loaded state. */
  public record Loaded(
      String feed, AdvisoryIndex index, VexStatements vex, String vexDigest, String loadedAt) {
    /** {@code feed@sha256:…} of the snapshot, with the VEX documents' digest when there are any. */
    public String label() {
      return feed + "@" + index.digest() + (vexDigest == null ? "" : "+vex@" + vexDigest);
    }
  }

  private final Map<String, Loaded> feeds = new ConcurrentHashMap<>();

  void put(Loaded loaded) {
    feeds.put(loaded.feed(), loaded);
  }

  Loaded get(String feed) {
    return feeds.get(feed);
  }

  /**
   * {@code feed@sha256:…,…}: the snapshots findings matched against {@code loaded} were computed
   * from (FindingsSummary.feedDigest); equal labels, equal findings for the same SBOM.
   */
  public static String label(List<Loaded> loaded) {
    return loaded.stream().map(Loaded::label).collect(java.util.stream.Collectors.joining(","));
  }

  /** The loaded state of {@code existing} feeds (deleted feeds are left out), by name. */
  public List<Loaded> loaded(Collection<String> existing) {
    return existing.stream().sorted().map(feeds::get).filter(Objects::nonNull).toList();
  }
}
