package io.stellaops.controllers.ilmclass;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stellaops.controllers.archive.Retention;
import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentStatus;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec;
import io.stellaops.crds.ilmclass.IlmClassSpec.Kind;
import io.stellaops.crds.ilmclass.IlmMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecyclePlanTest {
  static final Instant NOW = Instant.parse("2026-12-31T00:00:00Z");

  static IlmClass cls(String name, String retention, boolean legalHold, boolean isDefault) {
    IlmClass c = new IlmClass();
    c.getMetadata().setName(name);
    c.setSpec(
        new IlmClassSpec(
            retention,
            legalHold,
            List.of(Kind.values()),
            isDefault,
            IlmClassSpec.ExpiryAction.DELETE,
            null,
            null));
    return c;
  }

  static Governed object(Kind kind, String name, String created, String release, boolean inFlight) {
    HasMetadata o =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop")
            .withCreationTimestamp(created)
            .endMetadata()
            .build();
    return new Governed(kind, o, null, release, "p-" + name, inFlight, 100, false);
  }

  static Environment env(String name, String current, String... history) {
    Environment e = new Environment();
    e.getMetadata().setName(name);
    e.getMetadata().setNamespace("shop");
    EnvironmentStatus status = new EnvironmentStatus();
    status.setCurrent(new DeployedRelease(current, "1", "p", null));
    status.setHistory(
        java.util.Arrays.stream(history).map(h -> new DeployedRelease(h, "1", "p", null)).toList());
    e.setStatus(status);
    return e;
  }

  @Test
  void purgesWhatExpiredSoonestFirstAndKeepsWhatExplainsThePresent() {
    IlmClass shortClass = cls("short", "7d", false, true);
    var old = object(Kind.EvidencePacket, "old", "2026-12-01T00:00:00Z", "r-old", false);
    var older = object(Kind.Promotion, "older", "2026-11-01T00:00:00Z", "r-old", false);
    var running = object(Kind.EvidencePacket, "running", "2026-11-01T00:00:00Z", "r-prod", false);
    var rollback = object(Kind.Approval, "rollback", "2026-11-01T00:00:00Z", "r-prev", false);
    var inFlight = object(Kind.DeploymentJob, "job", "2026-11-01T00:00:00Z", "r-new", true);
    var fresh = object(Kind.EvidencePacket, "fresh", "2026-12-30T12:00:00Z", "r-new", false);
    Pins pins = new Pins(List.of(env("prod", "r-prod", "r-prev")), Set.of());
    var plan =
        LifecyclePlan.of(
            shortClass, List.of(old, older, running, rollback, inFlight, fresh), pins, NOW, 10);
    // evidence first (its archive carries its promotion), then by expiry
    assertThat(purged(plan)).containsExactly("old", "older");
    assertThat(plan.figures().pinned()).isEqualTo(3);
    assertThat(pins.why(running, shortClass)).isEqualTo("release r-prod runs in prod");
    assertThat(pins.why(rollback, shortClass))
        .isEqualTo("release r-prev is a rollback candidate in prod");
    assertThat(pins.why(inFlight, shortClass)).isEqualTo("promotion p-job has not ended");
    assertThat(plan.figures().next24h()).isZero();
    assertThat(plan.figures().next7d()).isEqualTo(1);
    assertThat(plan.figures().upcoming())
        .singleElement()
        .satisfies(u -> {
          assertThat(u.name()).isEqualTo("fresh");
          assertThat(u.at()).isEqualTo("2027-01-06T12:00:00Z");
        });
  }

  static List<String> purged(LifecyclePlan plan) {
    return plan.purges().stream().flatMap(List::stream).map(Governed::name).toList();
  }

  static Governed of(Kind kind, String name, String promotion) {
    var g = object(kind, name, "2026-01-01T00:00:00Z", "r", false);
    return new Governed(kind, g.object(), null, "r", promotion, false, 100, false);
  }

  @Test
  void aPacketIsPurgedWithTheDueObjectsItsArchiveCarries() {
    var packet = of(Kind.EvidencePacket, "to-prod", "to-prod");
    var record = of(Kind.DecisionRecord, "to-prod-decision", "to-prod");
    var promotion = of(Kind.Promotion, "to-prod", "to-prod");
    var job = of(Kind.DeploymentJob, "to-prod-docker", "to-prod");
    var approval = of(Kind.Approval, "to-prod-alice", "to-prod");
    var otherJob = of(Kind.DeploymentJob, "to-stage-docker", "to-stage");
    var report = of(Kind.FindingsReport, "findings", null);
    Pins none = new Pins(List.of(), Set.of());
    var plan =
        LifecyclePlan.of(
            cls("c", "1d", false, false),
            List.of(otherJob, job, approval, report, promotion, record, packet),
            none,
            NOW,
            10);
    assertThat(plan.purges())
        .containsExactly(
            List.of(packet, record, promotion, job, approval), List.of(otherJob), List.of(report));
    assertThat(
            LifecyclePlan.of(
                    cls("c", "1d", false, false), List.of(record, promotion, job), none, NOW, 10)
                .purges())
        .as("a decision record carries its promotion and jobs when its packet is not due")
        .containsExactly(List.of(record, promotion, job));
    assertThat(
            LifecyclePlan.of(
                    cls("c", "1d", false, false),
                    List.of(packet, record, promotion, job, approval, otherJob),
                    none,
                    NOW,
                    3)
                .purges())
        .as("a group is never split by the per-run limit, and the next one waits")
        .containsExactly(List.of(packet, record, promotion, job, approval));
  }

  @Test
  void aLegalHoldKeepsEverythingAndABacklogDrainsInSteps() {
    var objects =
        List.of(
            object(Kind.EvidencePacket, "a", "2026-01-01T00:00:00Z", "r", false),
            object(Kind.EvidencePacket, "b", "2026-01-02T00:00:00Z", "r", false),
            object(Kind.EvidencePacket, "c", "2026-01-03T00:00:00Z", "r", false));
    Pins none = new Pins(List.of(), Set.of());
    assertThat(LifecyclePlan.of(cls("hold", "1d", true, false), objects, none, NOW, 10).purges())
        .isEmpty();
    var stepped = LifecyclePlan.of(cls("c", "1d", false, false), objects, none, NOW, 2);
    assertThat(purged(stepped)).containsExactly("a", "b");
    assertThat(stepped.figures().backlog()).isEqualTo(3);
  }

  @Test
  void stampsExpiryClassAndTheFinalizerOnEvidenceOnly() {
    IlmClass c = cls("default", "90d", false, true);
    var packet = object(Kind.EvidencePacket, "p", "2026-12-01T00:00:00Z", "r", false);
    var job = object(Kind.DeploymentJob, "j", "2026-12-01T00:00:00Z", "r", false);
    var plan = LifecyclePlan.of(c, List.of(packet, job), new Pins(List.of(), Set.of()), NOW, 10);
    assertThat(plan.stamps())
        .extracting(s -> s.governed().name(), s -> s.expiresAt().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p", "2027-03-01T00:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("j", "2027-03-01T00:00:00Z"));
    // once stamped, the job is up to date, the packet still needs its finalizer
    job.object().getMetadata().setLabels(Map.of(IlmMetadata.CLASS, "default"));
    job.object()
        .getMetadata()
        .setAnnotations(Map.of(IlmMetadata.EXPIRES_AT, "2027-03-01T00:00:00Z"));
    packet.object().getMetadata().setLabels(Map.of(IlmMetadata.CLASS, "default"));
    packet
        .object()
        .getMetadata()
        .setAnnotations(Map.of(IlmMetadata.EXPIRES_AT, "2027-03-01T00:00:00Z"));
    var again = LifecyclePlan.of(c, List.of(packet, job), new Pins(List.of(), Set.of()), NOW, 10);
    assertThat(again.stamps()).extracting(s -> s.governed().name()).containsExactly("p");
  }

  @Test
  void aShorterRetentionRestampsButNeverPurgesWhatIsPinned() {
    var running = object(Kind.EvidencePacket, "running", "2020-01-01T00:00:00Z", "r-prod", false);
    running.object().getMetadata().setLabels(Map.of(IlmMetadata.CLASS, "c"));
    running
        .object()
        .getMetadata()
        .setAnnotations(Map.of(IlmMetadata.EXPIRES_AT, "2027-01-01T00:00:00Z"));
    var plan =
        LifecyclePlan.of(
            cls("c", "1h", false, false),
            List.of(running),
            new Pins(List.of(env("prod", "r-prod")), Set.of()),
            NOW,
            10);
    assertThat(plan.stamps())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.expiresAt()).isEqualTo(Instant.parse("2020-01-01T01:00:00Z"));
          assertThat(s.pinned()).isEqualTo("release r-prod runs in prod");
        });
    assertThat(plan.purges()).isEmpty();
    // the pin is stamped; once it is gone, so is the annotation
    running
        .object()
        .getMetadata()
        .setAnnotations(
            Map.of(
                IlmMetadata.EXPIRES_AT,
                "2020-01-01T01:00:00Z",
                IlmMetadata.PINNED,
                "release r-prod runs in prod"));
    var unpinned =
        LifecyclePlan.of(
            cls("c", "1h", false, false),
            List.of(running),
            new Pins(List.of(env("prod", "r-next")), Set.of()),
            NOW,
            10);
    // expired and no longer pinned: purged this run, so not stamped first
    assertThat(purged(unpinned)).containsExactly("running");
    assertThat(unpinned.stamps()).isEmpty();
    var later =
        LifecyclePlan.of(
            cls("c", "100000d", false, false),
            List.of(running),
            new Pins(List.of(env("prod", "r-next")), Set.of()),
            NOW,
            10);
    assertThat(later.stamps()).singleElement().satisfies(s -> assertThat(s.pinned()).isNull());
  }

  @Test
  void classesResolveByNameThenDefaultAndATypoKeepsTheObject() {
    IlmClass a = cls("a", "1d", false, true);
    IlmClass b = cls("b", "1d", false, true);
    IlmClass compliance = cls("compliance", "7y", false, false);
    IlmClasses classes = new IlmClasses(List.of(b, compliance, a));
    assertThat(classes.resolve(null)).isSameAs(a);
    assertThat(classes.resolve("default")).isSameAs(a);
    assertThat(classes.resolve("compliance")).isSameAs(compliance);
    assertThat(classes.resolve("complaince")).isNull();
    assertThat(classes.problem(b)).contains("IlmClass a is the default too");
    assertThat(classes.problem(a)).isNull();
    assertThat(Retention.parse("7y").expiry(Instant.parse("2024-02-29T00:00:00Z")))
        .isEqualTo(Instant.parse("2031-02-28T00:00:00Z"));
  }
}
