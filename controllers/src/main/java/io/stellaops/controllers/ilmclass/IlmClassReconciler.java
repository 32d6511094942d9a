package io.stellaops.controllers.ilmclass;

import com.google.common.util.concurrent.RateLimiter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.status.Conditions;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec;
import io.stellaops.crds.ilmclass.IlmClassStatus;
import io.stellaops.crds.ilmclass.IlmMetadata;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
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
   * @param operatorNamespace where S3 credential Secrets live
   */
  public record Settings(
      Duration interval, int purgesPerRun, double writesPerSecond, String operatorNamespace) {
    public static Settings defaults(String operatorNamespace) {
      return new Settings(Duration.ofMinutes(1), 1000, 200, operatorNamespace);
    }
  }

  private final Clock clock;
  private final IlmInventory inventory;
  private final RegistryClient registry;
  private final Supplier<EvidenceSigningKey> signingKey;
  private final Settings settings;
  private final RateLimiter writes;

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
      plan.stamps().forEach(run::stamp);
      for (Governed g : plan.releases()) {
        run.release(g);
      }
      for (Governed g : plan.purges()) {
        run.purge(g);
      }
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
      run.writeLog();
      run.close();
    }
    var f = plan.figures();
    status.setUsage(f.usage());
    status.setBytes(f.bytes());
    status.setPinned(f.pinned());
    status.setBacklog(f.backlog() - run.purged);
    status.setPurgesNext24h(f.next24h());
    status.setPurgesNext7d(f.next7d());
    status.setUpcomingPurges(f.upcoming());
    status.setLastRun(Conditions.timestamp(now));
    status.setLastRunPurged(run.purged);
    status.setLastRunArchived(run.archived);
    String name = cls.getMetadata().getName();
    ControllerMetrics.ILM_BACKLOG.labelValues(name).set(f.backlog() - run.purged);
    ControllerMetrics.ILM_PINNED.labelValues(name).set(f.pinned());
    String note = classes.problem(cls);
    if (stalled == null && run.held > 0) {
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
        .rescheduleAfter(settings.interval());
  }

  private static String summary(LifecyclePlan.Figures f, Run run) {
    int total = f.usage().values().stream().mapToInt(Integer::intValue).sum();
    return total
        + " object(s) governed, "
        + run.purged
        + " purged this run ("
        + run.archived
        + " archived), "
        + (f.backlog() - run.purged)
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
    private final List<Map<String, Object>> log = new ArrayList<>();
    int purged;
    int archived;
    int held;
    String destinationProblem;

    Run(KubernetesClient client, IlmClass cls, Instant now) {
      this.client = client;
      this.cls = cls;
      this.now = now;
      var spec = cls.getSpec();
      if (spec.archiveRepository() != null) {
        destinations.add(new OciArchive(registry, spec.archiveRepository()));
      }
      if (spec.s3() != null) {
        ArchiveDestination s3 = s3(spec.s3());
        if (s3 != null) {
          destinations.add(s3);
        }
      }
    }

    private ArchiveDestination s3(IlmClassSpec.S3Archive s3) {
      var secret =
          client
              .secrets()
              .inNamespace(settings.operatorNamespace())
              .withName(s3.credentialsSecret())
              .get();
      Map<String, String> data =
          secret == null || secret.getData() == null ? Map.of() : secret.getData();
      if (!data.containsKey("accessKeyId") || !data.containsKey("secretAccessKey")) {
        destinationProblem =
            "s3://"
                + s3.bucket()
                + ": Secret "
                + settings.operatorNamespace()
                + "/"
                + s3.credentialsSecret()
                + (secret == null ? " does not exist" : " lacks accessKeyId or secretAccessKey");
        return null;
      }
      return new S3Archive(
          s3, decode(data.get("accessKeyId")), decode(data.get("secretAccessKey")), clock);
    }

    @Override
    public void close() {
      destinations.forEach(ArchiveDestination::close);
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
      String archive = archives() ? archive(g, "expired") : null;
      delete(g);
      purged++;
      ControllerMetrics.ILM_PURGED.labelValues(cls.getMetadata().getName(), g.kind().name()).inc();
      record(g, archive == null ? "Purged" : "Archived", "expired", archive);
    }

    /** An object being deleted (its namespace goes away) that only our finalizer holds. */
    void release(Governed g) throws ArchiveDestination.ArchiveException {
      if (!LifecyclePlan.isEvidence(g.kind())) {
        return;
      }
      if (destinations.isEmpty() && destinationProblem == null) {
        held++;
        return;
      }
      String archive = archive(g, "deleted before expiry (its namespace or owner went away)");
      removeFinalizer(g);
      record(g, "Archived", "released after deletion", archive);
    }

    /** Archives {@code g} to every destination; verified; the annotation records where. */
    private String archive(Governed g, String reason) throws ArchiveDestination.ArchiveException {
      if (destinationProblem != null) {
        throw new ArchiveDestination.ArchiveException(destinationProblem);
      }
      String recorded =
          g.object().getMetadata().getAnnotations() == null
              ? null
              : g.object().getMetadata().getAnnotations().get(IlmMetadata.ARCHIVED);
      Bundle bundle =
          ArchiveBundles.of(
              g,
              cls,
              reason,
              inventory.related(g),
              PemKeys.publicKeyPem(signingKey.get().publicKey()),
              client.getKubernetesSerialization());
      byte[] bytes = bundle.bytes();
      List<String> stored = new ArrayList<>();
      for (ArchiveDestination destination : destinations) {
        stored.add(destination.store(ArchiveBundles.tag(g), bytes, g.id()));
      }
      String where = String.join(" ", stored);
      if (!where.equals(recorded)) {
        write(
            "record the archive of " + g.id(),
            () ->
                client
                    .resource(g.object())
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json(
                            Map.of(
                                "metadata",
                                Map.of("annotations", Map.of(IlmMetadata.ARCHIVED, where))))));
      }
      archived++;
      ControllerMetrics.ILM_ARCHIVED_BYTES
          .labelValues(cls.getMetadata().getName())
          .inc(bytes.length);
      return where + " (bundle " + Sha256.digest(bytes) + ")";
    }

    private void delete(Governed g) {
      write("delete " + g.id(), () -> client.resource(g.object()).delete());
      if (LifecyclePlan.isEvidence(g.kind())) {
        removeFinalizer(g);
      }
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
      write(
          "record an Event of " + g.id(),
          () -> KubernetesEvents.record(client, cls, "Normal", reason, message, now));
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

    /** The run's purge log, archived beside the bundles: one JSON line per object. */
    void writeLog() {
      if (log.isEmpty() || destinations.isEmpty()) {
        return;
      }
      StringBuilder lines = new StringBuilder();
      log.forEach(
          l ->
              lines
                  .append(new String(CanonicalJson.bytes(l), StandardCharsets.UTF_8))
                  .append('\n'));
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
      for (ArchiveDestination destination : destinations) {
        try {
          destination.store(key, bytes, "purge log of IlmClass " + cls.getMetadata().getName());
        } catch (ArchiveDestination.ArchiveException e) {
          LOG.warn(
              "IlmClass {}: purge log not archived: {}",
              cls.getMetadata().getName(),
              e.getMessage());
        }
      }
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

  private static String decode(String base64) {
    return base64 == null
        ? ""
        : new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
