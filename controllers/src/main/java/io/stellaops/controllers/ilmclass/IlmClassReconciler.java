package io.stellaops.controllers.ilmclass;

import com.google.common.util.concurrent.RateLimiter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.archive.ArchiveDestination;
import io.stellaops.controllers.archive.OciArchive;
import io.stellaops.controllers.archive.S3Archive;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketStatus;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec;
import io.stellaops.crds.ilmclass.IlmClassStatus;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.oci.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one IlmClass, every {@link Settings#interval}: observe the objects it governs
 * (informer caches), decide ({@link LifecyclePlan}, pure), act (stamp expiry, archive and verify,
 * delete), write status once. Writes go through one rate limiter, so a backlog of thousands of
 * expired objects drains at a steady pace instead of flooding the API server. Nothing is deleted
 * without a verified archive when the class archives; an archive destination that fails stops the
 * run (Stalled) and deletes nothing more.
 */
@ControllerConfiguration
public class IlmClassReconciler implements Reconciler<IlmClass> {
  private static final Logger LOG = LoggerFactory.getLogger(IlmClassReconciler.class);
  private static final DateTimeFormatter LOG_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * How the lifecycle runs.
   *
   * @param interval how often each class is looked at
   * @param purgesPerRun at most this many objects are purged per class and run
   * @param writesPerSecond API writes (stamps, deletes, Events) per second, all classes together
   * @param parallelism objects archived and deleted at once (archives are network-bound)
   * @param operatorNamespace where S3 credential Secrets live
   */
  public record Settings(
      Duration interval,
      int purgesPerRun,
      double writesPerSecond,
      int parallelism,
      String operatorNamespace) {
    public static final int PARALLELISM = 8;

    public Settings(
        Duration interval, int purgesPerRun, double writesPerSecond, String operatorNamespace) {
      this(interval, purgesPerRun, writesPerSecond, PARALLELISM, operatorNamespace);
    }

    public static Settings defaults(String operatorNamespace) {
      return new Settings(Duration.ofMinutes(1), 1000, 200, operatorNamespace);
    }
  }

  /**
   * Events a run records per reason, one per object; beyond them, one Event counts the rest, and
   * every object stays in the purge log and the operator's log. An Event per object made a backlog
   * of 10,000 cost 10,000 more writes (client-go's recorder lets 25 through per object, then drops
   * most).
   */
  static final int EVENTS_PER_RUN = 20;

  /** How soon a run follows one that left expired objects waiting (the per-run limit). */
  static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(1);

  private final Clock clock;
  private final IlmInventory inventory;
  private final RegistryClient registry;
  private final Supplier<EvidenceSigningKey> signingKey;
  private final Settings settings;
  private final RateLimiter writes;

  /**
   * Objects a verified archive holds besides its own object (a packet's promotion, decision, jobs
   * and approvals), by {@code class/uid}: purged later, they need no archive of their own if they
   * have not changed since. Bounded; after a restart they are simply archived again.
   */
  private final Map<String, Archived> inArchives =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Archived> eldest) {
              return size() > IN_ARCHIVES;
            }
          });

  static final int IN_ARCHIVES = 100_000;

  /**
   * Where an object's archived copy is, and its resourceVersion as archived: the API server changes
   * it with every change to the object, so an equal one means an equal object.
   */
  private record Archived(String resourceVersion, String where) {}

  public IlmClassReconciler(
      Clock clock,
      IlmInventory inventory,
      RegistryClient registry,
      Supplier<EvidenceSigningKey> signingKey,
      Settings settings) {
    this.clock = clock;
    this.inventory = inventory;
    this.registry = registry;
    this.signingKey = signingKey;
    this.settings = settings;
    this.writes = RateLimiter.create(settings.writesPerSecond());
  }

  @Override
  public UpdateControl<IlmClass> reconcile(IlmClass cls, Context<IlmClass> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    IlmClasses classes = new IlmClasses(context.getPrimaryCache().list().toList());
    IlmClassStatus status = cls.getStatus() == null ? new IlmClassStatus() : cls.getStatus();
    long generation = cls.getMetadata().getGeneration();
    List<Governed> governed = inventory.governedBy(cls, classes);
    Pins pins = new Pins(inventory.environments(), inventory.promotedReleases());
    LifecyclePlan plan = LifecyclePlan.of(cls, governed, pins, now, settings.purgesPerRun());
    String stalled = null;
    String stalledReason = null;
    Run run = new Run(client, cls, now);
    try {
      run.each(plan.stamps(), run::stamp);
      run.each(plan.releases(), run::release);
      // group by group: an archive, then the objects it carries, which need none of their own
      run.each(
          plan.purges(),
          group -> {
            for (Governed g : group) {
              run.purge(g);
            }
          });
    } catch (ArchiveDestination.ArchiveException e) {
      stalledReason = "ArchiveUnavailable";
      stalled =
          "archive destination unavailable, nothing more is deleted until it is: " + e.getMessage();
      KubernetesEvents.record(client, cls, "Warning", "ArchiveFailed", e.getMessage(), now);
      LOG.warn("IlmClass {}: {}", cls.getMetadata().getName(), e.getMessage());
    } catch (WriteRefused e) {
      // the run stops where it was refused and the next one starts over from what it observes
      stalledReason = "WriteRefused";
      stalled = e.getMessage();
      LOG.warn("IlmClass {}: {}", cls.getMetadata().getName(), e.getMessage());
    } finally {
      try {
        run.summarizeEvents(run.writeLog());
      } catch (WriteRefused e) {
        // the purges are done and logged; only their summary Event is missing
        LOG.warn("IlmClass {}: {}", cls.getMetadata().getName(), e.getMessage());
      } finally {
        run.close();
      }
    }
    var f = plan.figures();
    status.setUsage(f.usage());
    status.setBytes(f.bytes());
    status.setPinned(f.pinned());
    int backlog = f.backlog() - run.purged.get();
    status.setBacklog(backlog);
    status.setPurgesNext24h(f.next24h());
    status.setPurgesNext7d(f.next7d());
    status.setUpcomingPurges(f.upcoming());
    status.setLastRun(Conditions.timestamp(now));
    status.setLastRunPurged(run.purged.get());
    status.setLastRunArchived(run.archived.get());
    String name = cls.getMetadata().getName();
    // counters start at 0 for every kind the class governs, so rates exist before a first purge
    cls.getSpec()
        .appliesTo()
        .forEach(k -> ControllerMetrics.ILM_PURGED.initLabelValues(name, k.name()));
    ControllerMetrics.ILM_ARCHIVED_BYTES.initLabelValues(name);
    ControllerMetrics.ILM_BACKLOG.labelValues(name).set(backlog);
    ControllerMetrics.ILM_PINNED.labelValues(name).set(f.pinned());
    String note = classes.problem(cls);
    if (stalled == null && run.held.get() > 0) {
      stalledReason = "ArchiveUnavailable";
      stalled =
          run.held
              + " evidence object(s) are being deleted, but the class has no archive destination:"
              + " they are kept until it has one (archiveRepository or s3)";
    }
    if (stalled != null) {
      Conditions.stalled(status, generation, stalledReason, stalled, now);
    } else {
      Conditions.ready(
          status,
          generation,
          "Governing",
          summary(f, run) + (note == null ? "" : "; " + note),
          now);
    }
    return UpdateControl.patchStatus(StatusPatch.of(cls, status, IlmClass::new))
        .rescheduleAfter(stalled == null && backlog > 0 ? BACKLOG_INTERVAL : settings.interval());
  }

  private static String summary(LifecyclePlan.Figures f, Run run) {
    int total = f.usage().values().stream().mapToInt(Integer::intValue).sum();
    return total
        + " object(s) governed, "
        + run.purged.get()
        + " purged this run ("
        + run.archived.get()
        + " archived), "
        + (f.backlog() - run.purged.get())
        + " expired waiting, "
        + f.pinned()
        + " kept by a pin, "
        + f.next24h()
        + " due in 24h";
  }

  /** One lifecycle run's actions and what it did. */
  private final class Run implements AutoCloseable {
    private final KubernetesClient client;
    private final IlmClass cls;
    private final Instant now;
    private final List<ArchiveDestination> destinations = new ArrayList<>();
    private final List<Map<String, Object>> log = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    final AtomicInteger purged = new AtomicInteger();
    final AtomicInteger archived = new AtomicInteger();
    final AtomicInteger held = new AtomicInteger();

    /** Objects recorded this run, by reason (Archived, Purged) and kind. */
    private final Map<String, Map<String, AtomicInteger>> recorded = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> recordedEvents = new ConcurrentHashMap<>();

    /** The published evidence keyring, read once a run when a packet is archived. */
    private EvidenceKeyring keyring;

    String destinationProblem;

    Run(KubernetesClient client, IlmClass cls, Instant now) {
      this.client = client;
      this.cls = cls;
      this.now = now;
      var spec = cls.getSpec();
      if (spec.archiveRepository() != null) {
        destinations.add(
            new OciArchive(registry, spec.archiveRepository(), ArchiveBundles.ARTIFACT_TYPE));
      }
      if (spec.s3() != null) {
        try {
          destinations.add(S3Archive.open(client, settings.operatorNamespace(), spec.s3(), clock));
        } catch (ArchiveDestination.ArchiveException e) {
          destinationProblem = e.getMessage();
        }
      }
    }

    @Override
    public void close() {
      workers.shutdownNow();
      destinations.forEach(ArchiveDestination::close);
    }

    /** One step of a run, for one object. */
    interface Step<T> {
      void on(T item) throws ArchiveDestination.ArchiveException;
    }

    /**
     * {@code step} for every item, {@link Settings#parallelism} at a time (writes still pass the
     * one rate limiter). The first failure stops new steps; the ones under way finish, then it is
     * thrown.
     */
    <T> void each(List<T> items, Step<T> step) throws ArchiveDestination.ArchiveException {
      Semaphore slots = new Semaphore(settings.parallelism());
      AtomicReference<Exception> failure = new AtomicReference<>();
      List<Future<?>> started = new ArrayList<>();
      for (T item : items) {
        slots.acquireUninterruptibly();
        if (failure.get() != null) {
          slots.release();
          break;
        }
        started.add(
            workers.submit(() -> {
              try {
                step.on(item);
              } catch (ArchiveDestination.ArchiveException | RuntimeException e) {
                failure.compareAndSet(null, e);
              } finally {
                slots.release();
              }
            }));
      }
      for (Future<?> f : started) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WriteRefused("the lifecycle run was interrupted");
        } catch (ExecutionException e) {
          failure.compareAndSet(null, new IllegalStateException(e.getCause()));
        }
      }
      switch (failure.get()) {
        case null -> {}
        case ArchiveDestination.ArchiveException e -> throw e;
        case RuntimeException e -> throw e;
        default -> throw new IllegalStateException(failure.get());
      }
    }

    private boolean archives() {
      return cls.getSpec().onExpiry() == IlmClassSpec.ExpiryAction.ARCHIVE;
    }

    /** Puts the class label, expiry annotation and (on evidence) the finalizer on an object. */
    void stamp(LifecyclePlan.Stamp stamp) {
      Governed g = stamp.governed();
      Map<String, Object> metadata = new LinkedHashMap<>();
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(IlmMetadata.CLASS, cls.getMetadata().getName());
      if (g.kind() == IlmClassSpec.Kind.DecisionRecord) {
        labels.put(IlmMetadata.RECORD, IlmMetadata.DECISION_RECORD);
      } else if (g.kind() == IlmClassSpec.Kind.FindingsReport) {
        labels.put(IlmMetadata.RECORD, IlmMetadata.FINDINGS_REPORT);
      }
      metadata.put("labels", labels);
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put(IlmMetadata.EXPIRES_AT, stamp.expiresAt().toString());
      annotations.put(IlmMetadata.PINNED, stamp.pinned()); // null removes it (merge patch)
      metadata.put("annotations", annotations);
      if (LifecyclePlan.isEvidence(g.kind()) && !g.deleting()) {
        List<String> finalizers =
            new ArrayList<>(
                Objects.requireNonNullElse(g.object().getMetadata().getFinalizers(), List.of()));
        if (!finalizers.contains(IlmMetadata.FINALIZER)) {
          finalizers.add(IlmMetadata.FINALIZER);
        }
        metadata.put("finalizers", finalizers);
      }
      write(
          "stamp " + g.id(),
          () ->
              client
                  .resource(g.object())
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE), json(Map.of("metadata", metadata))));
      if (g.object() instanceof EvidencePacket packet) {
        Map<String, Object> packetStatus = new LinkedHashMap<>();
        packetStatus.put("expiresAt", stamp.expiresAt().toString());
        packetStatus.put("legalHold", Boolean.TRUE.equals(cls.getSpec().legalHold()));
        // The lifecycle is the packet's only status writer: Ready once it is governed by a class.
        var governed = new EvidencePacketStatus();
        if (packet.getStatus() != null) {
          governed.setConditions(packet.getStatus().getConditions());
        }
        Conditions.ready(
            governed,
            packet.getMetadata().getGeneration(),
            "Governed",
            "kept under IlmClass "
                + cls.getMetadata().getName()
                + (Boolean.TRUE.equals(cls.getSpec().legalHold())
                    ? " on legal hold"
                    : " until " + stamp.expiresAt()),
            now);
        packetStatus.put("conditions", governed.getConditions());
        packetStatus.put("observedGeneration", packet.getMetadata().getGeneration());
        write(
            "stamp the status of " + g.id(),
            () ->
                client
                    .resource(packet)
                    .subresource("status")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json(Map.of("status", packetStatus))));
      }
    }

    /** An expired, unpinned object: archived when the class archives, then deleted. */
    void purge(Governed g) throws ArchiveDestination.ArchiveException {
      String archive = archives() ? archiveUnlessArchived(g) : null;
      write("delete " + g.id(), () -> client.resource(g.object()).delete());
      if (LifecyclePlan.isEvidence(g.kind())) {
        removeFinalizer(g); // after the delete: the object is never unprotected
      }
      purged.incrementAndGet();
      ControllerMetrics.ILM_PURGED.labelValues(cls.getMetadata().getName(), g.kind().name()).inc();
      record(g, archive == null ? "Purged" : "Archived", "expired", archive);
    }

    /** An object being deleted (its namespace goes away) that only our finalizer holds. */
    void release(Governed g) throws ArchiveDestination.ArchiveException {
      if (!LifecyclePlan.isEvidence(g.kind())) {
        return;
      }
      if (destinations.isEmpty() && destinationProblem == null) {
        held.incrementAndGet();
        return;
      }
      String archive = archive(g, "deleted before expiry (its namespace or owner went away)");
      removeFinalizer(g);
      record(g, "Archived", "released after deletion", archive);
    }

    /**
     * The public key that signed {@code object} when it is a packet, from the published keyring: a
     * packet signed before a key rotation is archived with the key that verifies it. The active key
     * otherwise.
     */
    private String publicKeyOf(HasMetadata object) {
      String active = PemKeys.publicKeyPem(signingKey.get().publicKey());
      if (!(object instanceof EvidencePacket packet)
          || packet.getSpec() == null
          || packet.getSpec().envelope() == null
          || packet.getSpec().envelope().signatures() == null
          || packet.getSpec().envelope().signatures().isEmpty()) {
        return active;
      }
      String signer = packet.getSpec().envelope().signatures().getFirst().keyid();
      return keyring().find(signer).map(EvidenceKeyring.Key::publicKey).orElse(active);
    }

    private synchronized EvidenceKeyring keyring() {
      if (keyring == null) {
        var published =
            client
                .configMaps()
                .inNamespace(settings.operatorNamespace())
                .withName(EvidencePublicKey.CONFIG_MAP)
                .get();
        keyring = EvidenceKeyring.published(published == null ? null : published.getData());
      }
      return keyring;
    }

    /** Archives {@code g} to every destination, each read back and verified; says where. */
    private String archive(Governed cached, String reason)
        throws ArchiveDestination.ArchiveException {
      if (destinationProblem != null) {
        throw new ArchiveDestination.ArchiveException(destinationProblem);
      }
      var whole = inventory.whole(cached);
      if (whole.isEmpty()) {
        return "nothing: it was already gone from the API server";
      }
      Governed g = whole.get();
      var serialization = client.getKubernetesSerialization();
      List<HasMetadata> related = inventory.related(g);
      Bundle bundle =
          ArchiveBundles.of(g, cls, reason, related, publicKeyOf(g.object()), serialization);
      byte[] bytes = bundle.bytes();
      List<String> stored = new ArrayList<>();
      for (ArchiveDestination destination : destinations) {
        stored.add(destination.store(ArchiveBundles.tag(g), bytes, g.id()));
      }
      String where = String.join(" ", stored) + " (bundle " + Sha256.digest(bytes) + ")";
      archived.incrementAndGet();
      ControllerMetrics.ILM_ARCHIVED_BYTES
          .labelValues(cls.getMetadata().getName())
          .inc(bytes.length);
      for (HasMetadata other : related) {
        inArchives.put(
            cls.getMetadata().getName() + "/" + other.getMetadata().getUid(),
            new Archived(other.getMetadata().getResourceVersion(), where + ", with " + g.id()));
      }
      return where;
    }

    /**
     * Archives {@code g} on its own unless a verified archive of this class already holds it as it
     * is now (its evidence packet's, which carries its promotion, decision, jobs and approvals).
     */
    private String archiveUnlessArchived(Governed g) throws ArchiveDestination.ArchiveException {
      Archived known =
          inArchives.get(cls.getMetadata().getName() + "/" + g.object().getMetadata().getUid());
      if (known != null
          && known.resourceVersion().equals(g.object().getMetadata().getResourceVersion())) {
        return known.where();
      }
      return archive(g, "expired");
    }

    private void removeFinalizer(Governed g) {
      List<String> finalizers =
          new ArrayList<>(
              Objects.requireNonNullElse(g.object().getMetadata().getFinalizers(), List.of()));
      if (finalizers.remove(IlmMetadata.FINALIZER)
          || g.object().getMetadata().getFinalizers() == null) {
        write(
            "remove the finalizer of " + g.id(),
            () ->
                client
                    .resource(g.object())
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json(Map.of("metadata", Map.of("finalizers", finalizers)))));
      }
    }

    private void record(Governed g, String reason, String why, String archive) {
      String message =
          g.id()
              + " "
              + (archive == null ? "purged" : "archived to " + archive + " and purged")
              + ": "
              + why
              + " (created "
              + g.object().getMetadata().getCreationTimestamp()
              + ", class "
              + cls.getMetadata().getName()
              + ")";
      recorded
          .computeIfAbsent(reason, r -> new ConcurrentSkipListMap<>())
          .computeIfAbsent(g.kind().name(), k -> new AtomicInteger())
          .incrementAndGet();
      if (recordedEvents.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet()
          <= EVENTS_PER_RUN) {
        write(
            "record an Event of " + g.id(),
            () -> KubernetesEvents.record(client, cls, "Normal", reason, message, now));
      }
      LOG.info("IlmClass {}: {}", cls.getMetadata().getName(), message);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("at", now.toString());
      line.put("action", reason);
      line.put("kind", g.kind().name());
      line.put("namespace", g.namespace());
      line.put("name", g.name());
      line.put("uid", g.object().getMetadata().getUid());
      line.put("class", cls.getMetadata().getName());
      line.put("reason", why);
      if (archive != null) {
        line.put("archive", archive);
      }
      log.add(line);
    }

    /**
     * One Event per reason for what this run recorded beyond {@link #EVENTS_PER_RUN} Events: how
     * many more, of which kinds, and where each is listed ({@code log}: the archived purge log).
     */
    void summarizeEvents(String log) {
      recorded.forEach((reason, byKind) -> {
        int total = byKind.values().stream().mapToInt(AtomicInteger::get).sum();
        if (total <= EVENTS_PER_RUN) {
          return;
        }
        String kinds =
            byKind.entrySet().stream()
                .map(e -> e.getValue().get() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        String message =
            (total - EVENTS_PER_RUN)
                + " more objects "
                + reason.toLowerCase(Locale.ROOT)
                + " this run than the "
                + EVENTS_PER_RUN
                + " Events before this one name ("
                + total
                + " in all: "
                + kinds
                + "); each is listed in "
                + (log == null ? "" : "the purge log " + log + " and ")
                + "the operator's log";
        write(
            "record an Event of IlmClass " + cls.getMetadata().getName(),
            () -> KubernetesEvents.record(client, cls, "Normal", reason, message, now));
      });
    }

    /**
     * The run's purge log, archived beside the bundles: one JSON line per object; where it went
     * (null: nowhere, the class does not archive or nothing was purged).
     */
    String writeLog() {
      if (log.isEmpty() || destinations.isEmpty()) {
        return null;
      }
      StringBuilder lines = new StringBuilder();
      log.forEach(l ->
          lines.append(new String(CanonicalJson.bytes(l), StandardCharsets.UTF_8)).append('\n'));
      var about = CanonicalJson.MAPPER.createObjectNode();
      about.put("apiVersion", "stellaops.io/ilm-purge-log/v1");
      about.put("ilmClass", cls.getMetadata().getName());
      about.put("run", now.toString());
      byte[] bytes =
          Bundle.of(
                  Map.of("purge-log.jsonl", lines.toString().getBytes(StandardCharsets.UTF_8)),
                  about)
              .bytes();
      String key = "purge-log." + LOG_NAME.format(now);
      List<String> stored = new ArrayList<>();
      for (ArchiveDestination destination : destinations) {
        try {
          stored.add(
              destination.store(
                  key, bytes, "purge log of IlmClass " + cls.getMetadata().getName()));
        } catch (ArchiveDestination.ArchiveException e) {
          LOG.warn(
              "IlmClass {}: purge log not archived: {}",
              cls.getMetadata().getName(),
              e.getMessage());
        }
      }
      return stored.isEmpty() ? null : key + " (" + String.join(" ", stored) + ")";
    }

    private void write(String what, Runnable write) {
      writes.acquire();
      try {
        write.run();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw new WriteRefused(
              "the API server refused to "
                  + what
                  + " ("
                  + e.getCode()
                  + "): "
                  + (e.getStatus() != null && e.getStatus().getMessage() != null
                      ? e.getStatus().getMessage()
                      : e.getMessage()));
        }
      }
    }
  }

  /** A write the API server refused (not found aside): the run stops, naming it. */
  private static final class WriteRefused extends RuntimeException {
    WriteRefused(String message) {
      super(message);
    }
  }

  private static String json(Object value) {
    return new String(CanonicalJson.bytes(value), StandardCharsets.UTF_8);
  }
}
