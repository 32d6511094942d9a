package io.stellaops.controllers.ilmclass;

import io.stellaops.controllers.archive.Retention;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec;
import io.stellaops.crds.ilmclass.IlmClassStatus.UpcomingPurge;
import io.stellaops.crds.ilmclass.IlmMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the lifecycle of one IlmClass asks for now, decided from what is observed and nothing else:
 * which objects to stamp (class label, expiry annotation, finalizer on evidence), which to purge
 * (expired and not pinned; evidence before what it references, then soonest first; at most {@code
 * limit} a run), which to release (being deleted, so archived first when the class archives), and
 * the class's status figures. Unit-tested without a cluster; the controller carries the actions
 * out.
 *
 * @param stamps objects whose ILM metadata is missing or stale, with the expiry to stamp (at most
 *     {@code limit} a run; not those waiting to be purged that are protected already)
 * @param purges objects to archive (when the class archives) and delete, in groups: an object with
 *     the due objects its archive carries ({@link #carries}), which go right after it needing no
 *     archive of their own, so a backlog drains at one archive per promotion; groups by kind
 *     (evidence first), then soonest expiry
 * @param releases objects being deleted that only the ILM finalizer holds
 */
record LifecyclePlan(
    List<Stamp> stamps, List<List<Governed>> purges, List<Governed> releases, Figures figures) {

  /** An object, the expiry it must carry and what pins it (null: nothing). */
  record Stamp(Governed governed, Instant expiresAt, String pinned) {}

  /** The class's usage and what is coming, for its status. */
  record Figures(
      Map<String, Integer> usage,
      Map<String, Long> bytes,
      int pinned,
      int backlog,
      int next24h,
      int next7d,
      List<UpcomingPurge> upcoming) {}

  static final int UPCOMING_LISTED = 20;

  /** Whether an object of this kind is evidence: protected by the ILM finalizer. */
  static boolean isEvidence(IlmClassSpec.Kind kind) {
    return kind == IlmClassSpec.Kind.EvidencePacket || kind == IlmClassSpec.Kind.DecisionRecord;
  }

  static LifecyclePlan of(
      IlmClass cls, List<Governed> governed, Pins pins, Instant now, int limit) {
    Retention retention = Retention.parse(cls.getSpec().retention());
    String action =
        cls.getSpec().onExpiry() == IlmClassSpec.ExpiryAction.ARCHIVE ? "Archive" : "Delete";
    List<Stamp> stamps = new ArrayList<>();
    List<Governed> due = new ArrayList<>();
    List<Governed> releases = new ArrayList<>();
    List<UpcomingPurge> upcoming = new ArrayList<>();
    Map<String, Integer> usage = new TreeMap<>();
    Map<String, Long> bytes = new TreeMap<>();
    int pinned = 0;
    int next24h = 0;
    int next7d = 0;
    for (Governed g : governed) {
      usage.merge(g.kind().name(), 1, Integer::sum);
      bytes.merge(g.kind().name(), g.bytes(), Long::sum);
      Instant expiry = retention.expiry(g.created());
      String pin = pins.why(g, cls);
      if (stale(g, cls, expiry, pin)) {
        stamps.add(new Stamp(g, expiry, pin));
      }
      if (g.deleting()) {
        releases.add(g);
        continue;
      }
      boolean expired = !expiry.isAfter(now);
      if (pin != null) {
        pinned += expired ? 1 : 0;
        continue;
      }
      if (expired) {
        due.add(g);
        continue;
      }
      Duration left = Duration.between(now, expiry);
      next24h += left.compareTo(Duration.ofDays(1)) <= 0 ? 1 : 0;
      next7d += left.compareTo(Duration.ofDays(7)) <= 0 ? 1 : 0;
      upcoming.add(
          new UpcomingPurge(g.kind().name(), g.namespace(), g.name(), expiry.toString(), action));
    }
    Comparator<Governed> soonest =
        Comparator.comparing((Governed g) -> retention.expiry(g.created()))
            .thenComparing(Governed::id);
    // evidence first: its archive carries the promotion, decision and jobs it references
    due.sort(Comparator.comparing((Governed g) -> g.kind().ordinal()).thenComparing(soonest));
    releases.sort(soonest);
    upcoming.sort(Comparator.comparing(UpcomingPurge::at).thenComparing(UpcomingPurge::name));
    List<List<Governed>> purges = groups(due, limit);
    // What goes this run needs no stamp first, nor what waits to be purged when it is protected
    // already (evidence is created with its finalizer): a backlog of thousands would cost two
    // writes each for nothing. Other stamps are spread over runs like purges.
    Set<Governed> going = Collections.newSetFromMap(new IdentityHashMap<>());
    purges.forEach(going::addAll);
    Set<Governed> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
    waiting.addAll(due);
    stamps.removeIf(stamp ->
        going.contains(stamp.governed())
            || (waiting.contains(stamp.governed())
                && (!isEvidence(stamp.governed().kind()) || hasFinalizer(stamp.governed()))));
    return new LifecyclePlan(
        List.copyOf(stamps.subList(0, Math.min(limit, stamps.size()))),
        purges.stream().map(List::copyOf).toList(),
        List.copyOf(releases),
        new Figures(
            usage,
            bytes,
            pinned,
            due.size(),
            next24h,
            next7d,
            List.copyOf(upcoming.subList(0, Math.min(UPCOMING_LISTED, upcoming.size())))));
  }

  /**
   * Whether the archive of an object of kind {@code head} carries the objects of kind {@code other}
   * of its promotion, as {@link IlmInventory#related} gathers them.
   */
  static boolean carries(IlmClassSpec.Kind head, IlmClassSpec.Kind other) {
    var carriers =
        EnumSet.of(
            IlmClassSpec.Kind.EvidencePacket,
            IlmClassSpec.Kind.DecisionRecord,
            IlmClassSpec.Kind.Promotion);
    var carried =
        EnumSet.of(
            IlmClassSpec.Kind.Promotion,
            IlmClassSpec.Kind.DecisionRecord,
            IlmClassSpec.Kind.DeploymentJob,
            IlmClassSpec.Kind.Approval);
    return carriers.contains(head) && carried.contains(other) && head != other;
  }

  /**
   * {@code due} (sorted) in groups of an object and the due objects of its promotion it carries, at
   * most {@code limit} objects in all (a group is never split).
   */
  private static List<List<Governed>> groups(List<Governed> due, int limit) {
    Map<String, List<Governed>> byPromotion = new LinkedHashMap<>();
    for (Governed g : due) {
      if (g.promotion() != null) {
        byPromotion
            .computeIfAbsent(g.namespace() + "/" + g.promotion(), k -> new ArrayList<>())
            .add(g);
      }
    }
    Set<Governed> grouped = Collections.newSetFromMap(new IdentityHashMap<>());
    List<List<Governed>> groups = new ArrayList<>();
    int size = 0;
    for (Governed head : due) {
      if (grouped.contains(head)) {
        continue;
      }
      List<Governed> group = new ArrayList<>(List.of(head));
      if (head.promotion() != null) {
        for (Governed other : byPromotion.get(head.namespace() + "/" + head.promotion())) {
          if (other != head && !grouped.contains(other) && carries(head.kind(), other.kind())) {
            group.add(other);
          }
        }
      }
      if (size > 0 && size + group.size() > limit) {
        break;
      }
      grouped.addAll(group);
      groups.add(group);
      size += group.size();
    }
    return groups;
  }

  private static boolean hasFinalizer(Governed g) {
    var finalizers = g.object().getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(IlmMetadata.FINALIZER);
  }

  /**
   * Whether the object's class label, expiry or pin annotation or finalizer is not as it must be.
   */
  private static boolean stale(Governed g, IlmClass cls, Instant expiry, String pin) {
    var metadata = g.object().getMetadata();
    String label =
        metadata.getLabels() == null ? null : metadata.getLabels().get(IlmMetadata.CLASS);
    String stamped =
        metadata.getAnnotations() == null
            ? null
            : metadata.getAnnotations().get(IlmMetadata.EXPIRES_AT);
    boolean finalizer =
        metadata.getFinalizers() != null
            && metadata.getFinalizers().contains(IlmMetadata.FINALIZER);
    String pinned =
        metadata.getAnnotations() == null
            ? null
            : metadata.getAnnotations().get(IlmMetadata.PINNED);
    return !Objects.equals(label, cls.getMetadata().getName())
        || !Objects.equals(stamped, expiry.toString())
        || !Objects.equals(pinned, pin)
        || (isEvidence(g.kind()) && !finalizer && !g.deleting());
  }
}
