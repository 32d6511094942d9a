package io.stellaops.controllers.advisoryfeed;

import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.findings.VexStatements;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The advisory snapshots and VEX statements each AdvisoryFeed has loaded in this process, shared by
 * the feed, Release and Promotion controllers. A feed's entry is replaced whole, so readers see the
 * old snapshot or the new one, never a mix; a snapshot that fails to load leaves the previous one
 * in place.
 *
 * <p>Only what this process loaded counts: after a restart an AdvisoryFeed's status may still say
 * Ready from the previous process while nothing is loaded here, and findings matched then would
 * miss its advisories. {@link #state} says which existing feeds are not loaded, so findings are not
 * matched and promotions are not decided on part of the advisories.
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

  /**
   * What findings matched now would rest on: the loaded snapshots of the existing feeds, and the
   * existing feeds without one, with why ({@link #NOT_LOADED_YET} before this process tried).
   */
  public record State(List<Loaded> loaded, Map<String, String> missing) {
    public String label() {
      return AdvisoryFeeds.label(loaded);
    }

    /** Whether some existing feed has not been tried yet in this process. */
    public boolean loading() {
      return missing.containsValue(NOT_LOADED_YET);
    }

    /** {@code feed (why), …} of the feeds without a snapshot. */
    public String describeMissing() {
      return missing.entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue() + ")")
          .collect(Collectors.joining(", "));
    }
  }

  public static final String NOT_LOADED_YET = "not loaded yet by this operator";

  private final Map<String, Loaded> feeds = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  void put(Loaded loaded) {
    feeds.put(loaded.feed(), loaded);
    failures.remove(loaded.feed());
  }

  /** A load that failed; the feed keeps serving what it loaded before, if anything. */
  void failed(String feed, String message) {
    failures.put(feed, message);
  }

  Loaded get(String feed) {
    return feeds.get(feed);
  }

  /** Whether this process has tried to load {@code feed} (it may have failed). */
  public boolean tried(String feed) {
    return feeds.containsKey(feed) || failures.containsKey(feed);
  }

  /**
   * {@code feed@sha256:…,…}: the snapshots findings matched against {@code loaded} were computed
   * from (FindingsSummary.feedDigest); equal labels, equal findings for the same SBOM.
   */
  public static String label(List<Loaded> loaded) {
    return loaded.stream().map(Loaded::label).collect(Collectors.joining(","));
  }

  /** The loaded state of {@code existing} feeds (deleted feeds are left out), by name. */
  public List<Loaded> loaded(Collection<String> existing) {
    return existing.stream().sorted().map(feeds::get).filter(Objects::nonNull).toList();
  }

  /** The loaded snapshots of {@code existing} feeds and those without one. */
  public State state(Collection<String> existing) {
    Map<String, String> missing = new TreeMap<>();
    for (String feed : existing) {
      if (!feeds.containsKey(feed)) {
        missing.put(
            feed, failures.containsKey(feed) ? "failed: " + failures.get(feed) : NOT_LOADED_YET);
      }
    }
    return new State(loaded(existing), missing);
  }

  /** What a feed's findings depend on here: its loaded label, or why there is none. */
  public String describe(String feed) {
    Loaded loaded = feeds.get(feed);
    if (loaded != null) {
      return loaded.label();
    }
    return failures.containsKey(feed) ? "failed" : NOT_LOADED_YET;
  }
}
