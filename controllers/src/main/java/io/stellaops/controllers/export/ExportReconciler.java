package io.stellaops.controllers.export;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.stellaops.controllers.archive.ArchiveDestination;
import io.stellaops.controllers.archive.OciArchive;
import io.stellaops.controllers.archive.S3Archive;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.kubernetes.KubernetesSecrets;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.crds.export.Export;
import io.stellaops.crds.export.ExportSpec;
import io.stellaops.crds.export.ExportStatus;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.archive.Mirror;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.OciLayout;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an Export's bundle once: reads the selection from the API server, builds the bundle ({@link
 * EvidenceExport}, pure), signs its manifest with the evidence key, writes it to every destination,
 * reads it back and compares, then writes status. A Complete Export is never run again (its spec is
 * immutable); a failed one is retried every {@link Settings#retry}. It lists its namespace's
 * objects once per run instead of keeping informers: an Export runs once, and a cache of every
 * promotion, approval and job in the cluster for it would cost memory all the time.
 */
@ControllerConfiguration
public class ExportReconciler implements Reconciler<Export> {
  private static final Logger LOG = LoggerFactory.getLogger(ExportReconciler.class);
  static final String PROMOTION_LABEL = "stellaops.io/promotion";
  static final String FINDINGS_REPORT_LABEL = "stellaops.io/component";
  static final int RUNS_KEPT = 10;

  /**
   * How exports run.
   *
   * @param operatorNamespace where the evidence keyring is published
   * @param operatorVersion written into every bundle's manifest
   * @param retry how soon a failed export is tried again
   * @param maxBundleBytes the largest bundle written: bundles are built, pushed and read back in
   *     memory, so a larger selection is refused with a reason instead of exhausting the heap
   * @param scheduleCheck how often a scheduled Export looks at the clock at least
   */
  public record Settings(
      String operatorNamespace,
      String operatorVersion,
      Duration retry,
      long maxBundleBytes,
      Duration scheduleCheck) {
    public static final long MAX_BUNDLE_BYTES = Bundle.MAX_BYTES;

    public Settings(String operatorNamespace, String operatorVersion, Duration retry) {
      this(operatorNamespace, operatorVersion, retry, MAX_BUNDLE_BYTES, Duration.ofMinutes(1));
    }
  }

  /**
   * The registry client exports push and read back with: bundles are larger than anything admission
   * reads, and travel whole.
   */
  public static RegistryClient registryClient(Set<String> insecureRegistries) {
    return new RegistryClient(
        Duration.ofSeconds(60), insecureRegistries, RegistryClient.Limits.BUNDLES);
  }

  private final Clock clock;
  private final RegistryClient registry;
  private final Supplier<EvidenceSigningKey> signingKey;
  private final Settings settings;

  public ExportReconciler(
      Clock clock,
      RegistryClient registry,
      Supplier<EvidenceSigningKey> signingKey,
      Settings settings) {
    this.clock = clock;
    this.registry = registry;
    this.signingKey = signingKey;
    this.settings = settings;
  }

  @Override
  public UpdateControl<Export> reconcile(Export export, Context<Export> context) {
    KubernetesClient client = context.getClient();
    var serialization = client.getKubernetesSerialization();
    ExportStatus status =
        export.getStatus() == null
            ? new ExportStatus()
            : serialization.convertValue(export.getStatus(), ExportStatus.class);
    long generation = export.getMetadata().getGeneration();
    Instant now = clock.instant();
    var schedule = export.getSpec().schedule();
    if (schedule == null) {
      if ("Complete".equals(status.getPhase())
          && Long.valueOf(generation).equals(status.getObservedGeneration())) {
        return UpdateControl.noUpdate();
      }
      return run(client, export, status, export.getSpec().selector(), key(export), null, now);
    }
    ExecutionTime times;
    ZoneId zone;
    try {
      zone = ZoneId.of(schedule.timeZone() == null ? "UTC" : schedule.timeZone());
      times = ExecutionTime.forCron(CRON.parse(schedule.cron()));
    } catch (RuntimeException e) {
      String message =
          "spec.schedule is not a schedule: "
              + e.getMessage()
              + "; nothing is exported until the Export is created again with another";
      status.setPhase("Failed");
      status.setMessage(message);
      Conditions.stalled(status, generation, "InvalidSchedule", message, now);
      return StatusPatch.ifChanged(export, status, Export::new, serialization);
    }
    ZonedDateTime local = now.atZone(zone);
    Instant next = times.nextExecution(local).map(ZonedDateTime::toInstant).orElse(null);
    status.setNextRunAt(next == null ? null : Conditions.timestamp(next));
    Instant last = status.getLastRunAt() == null ? null : Instant.parse(status.getLastRunAt());
    Instant floor =
        last != null ? last : Instant.parse(export.getMetadata().getCreationTimestamp());
    Instant due =
        times.isMatch(local.truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
            ? local.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toInstant()
            : times.lastExecution(local).map(ZonedDateTime::toInstant).orElse(null);
    Duration wait = until(now, next);
    if (due != null && due.isAfter(floor)) {
      // the window starts where the last complete run ended, so a missed run loses nothing
      var selector = export.getSpec().selector();
      var window =
          export.getSpec().profile() == ExportSpec.Profile.FINDINGS
              ? selector
              : new ExportSpec.Selector(
                  selector == null ? null : selector.environments(),
                  selector == null ? null : selector.releases(),
                  last != null
                      ? Conditions.timestamp(last)
                      : selector == null ? null : selector.since(),
                  selector != null && endsBefore(selector.until(), due)
                      ? selector.until()
                      : Conditions.timestamp(due),
                  selector == null ? null : selector.releaseLabels());
      UpdateControl<Export> ran =
          run(client, export, status, window, key(export) + "." + RUN_TAG.format(due), due, now);
      return "Failed".equals(status.getPhase()) ? ran : ran.rescheduleAfter(wait);
    }
    if (status.getPhase() == null) {
      status.setPhase("Scheduled");
      status.setMessage("first run at " + status.getNextRunAt());
      Conditions.ready(status, generation, "Scheduled", status.getMessage(), now);
    }
    return StatusPatch.ifChanged(export, status, Export::new, serialization).rescheduleAfter(wait);
  }

  /**
   * Whether {@code until} is before {@code due}; one that is not a time is kept, and the selection
   * refuses it with a reason.
   */
  private static boolean endsBefore(String until, Instant due) {
    try {
      return until != null && java.time.OffsetDateTime.parse(until).toInstant().isBefore(due);
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  /** How long until {@code next}, but at most {@link Settings#scheduleCheck}: clocks jump. */
  private Duration until(Instant now, Instant next) {
    if (next == null) {
      return settings.scheduleCheck();
    }
    Duration wait = Duration.between(now, next).plusMillis(100);
    return wait.compareTo(settings.scheduleCheck()) < 0 ? wait : settings.scheduleCheck();
  }

  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final DateTimeFormatter RUN_TAG =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * Exports {@code selector} to every destination under {@code key}; {@code runAt} is the scheduled
   * time of a recurring Export's run, null for a one-time Export.
   */
  private UpdateControl<Export> run(
      KubernetesClient client,
      Export export,
      ExportStatus status,
      ExportSpec.Selector selector,
      String key,
      Instant runAt,
      Instant now) {
    long generation = export.getMetadata().getGeneration();
    String profile = export.getSpec().profile().value();
    try {
      // first: a key created now is published into the keyring the bundle carries
      EvidenceSigningKey signer = signingKey.get();
      var contents =
          switch (export.getSpec().profile()) {
            case EVIDENCE ->
                EvidenceExport.of(
                    export,
                    selector,
                    findEvidence(client, export, selector),
                    settings.operatorVersion(),
                    client.getKubernetesSerialization());
            case FINDINGS ->
                FindingsExport.of(
                    export,
                    selector,
                    findFindings(client, export, selector),
                    settings.operatorVersion(),
                    client.getKubernetesSerialization());
            case MIRROR ->
                MirrorExport.of(
                    export,
                    selector,
                    findMirror(client, export, selector),
                    registry,
                    settings.operatorVersion(),
                    client.getKubernetesSerialization());
          };
      byte[] bytes = contents.bundle().signedBytes(signer.privateKey(), signer.keyId());
      if (bytes.length > settings.maxBundleBytes()) {
        throw new ExportBundles.Refused(
            "the bundle of "
                + contents.objects().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "))
                + " would be "
                + (bytes.length >> 20)
                + " MiB, more than the "
                + (settings.maxBundleBytes() >> 20)
                + " MiB an export writes: narrow the selection (since/until, environments,"
                + " releases) and export in parts");
      }
      List<String> locations = store(client, export, key, bytes);
      String message =
          (contents.objects().isEmpty()
                  ? "nothing selected; an empty bundle"
                  : contents.objects().entrySet().stream()
                      .map(e -> e.getValue() + " " + e.getKey())
                      .collect(Collectors.joining(", ")))
              + " exported, "
              + bytes.length
              + " bytes, signed by key "
              + signer.keyId().substring(0, 12)
              + ", to "
              + String.join(" and ", locations);
      status.setPhase("Complete");
      status.setObjects(contents.objects());
      status.setFiles(contents.bundle().files().size());
      status.setBundle(new ExportStatus.BundleRef(Sha256.digest(bytes), (long) bytes.length));
      status.setLocations(locations);
      status.setSignedBy(signer.keyId());
      status.setCompletedAt(Conditions.timestamp(now));
      if (runAt != null) {
        message = "run of " + Conditions.timestamp(runAt) + ": " + message;
        status.setLastRunAt(Conditions.timestamp(runAt));
        List<ExportStatus.ExportRun> runs = new ArrayList<>(status.getRuns());
        runs.add(
            0,
            new ExportStatus.ExportRun(
                Conditions.timestamp(runAt),
                Sha256.digest(bytes),
                (long) bytes.length,
                contents.objects().values().stream().mapToInt(Integer::intValue).sum(),
                locations));
        status.setRuns(new ArrayList<>(runs.subList(0, Math.min(RUNS_KEPT, runs.size()))));
      }
      status.setMessage(message);
      Conditions.ready(
          status,
          generation,
          "Exported",
          message + (status.getNextRunAt() == null ? "" : "; next run at " + status.getNextRunAt()),
          now);
      KubernetesEvents.record(client, export, "Normal", "Exported", message, now);
      ControllerMetrics.EXPORTS.labelValues(profile, "complete").inc();
      ControllerMetrics.EXPORTED_BYTES.labelValues(profile).inc(bytes.length);
      LOG.info("Export {}/{}: {}", export.getMetadata().getNamespace(), name(export), message);
      return UpdateControl.patchStatus(StatusPatch.of(export, status, Export::new));
    } catch (ExportBundles.Refused | ArchiveDestination.ArchiveException e) {
      String reason =
          e instanceof ExportBundles.Unavailable
              ? "SourceUnavailable"
              : e instanceof ExportBundles.Refused ? "ExportRefused" : "DestinationUnavailable";
      String message = e.getMessage() + "; retried every " + settings.retry().toSeconds() + " s";
      status.setPhase("Failed");
      status.setMessage(message);
      Conditions.stalled(status, generation, reason, message, now);
      KubernetesEvents.record(client, export, "Warning", reason, e.getMessage(), now);
      ControllerMetrics.EXPORTS.labelValues(profile, "failed").inc();
      LOG.warn("Export {}/{}: {}", export.getMetadata().getNamespace(), name(export), message);
      return UpdateControl.patchStatus(StatusPatch.of(export, status, Export::new))
          .rescheduleAfter(settings.retry());
    }
  }

  private static String name(Export export) {
    return export.getMetadata().getName();
  }

  /** The selected packets and what they reference, listed from the Export's namespace. */
  private EvidenceExport.Found findEvidence(
      KubernetesClient client, Export export, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    String ns = export.getMetadata().getNamespace();
    // six LISTs at once: each waits on the API server, not on this process
    try (var lists = Executors.newVirtualThreadPerTaskExecutor()) {
      var approvals =
          lists.submit(() -> client.resources(Approval.class).inNamespace(ns).list().getItems());
      var jobs =
          lists.submit(
              () -> client.resources(DeploymentJob.class).inNamespace(ns).list().getItems());
      var decisions =
          lists.submit(() ->
              client.configMaps().inNamespace(ns).withLabel(PROMOTION_LABEL).list().getItems());
      var allPromotions =
          lists.submit(() -> client.resources(Promotion.class).inNamespace(ns).list().getItems());
      var allReleases =
          lists.submit(() -> client.resources(Release.class).inNamespace(ns).list().getItems());
      var packets = labelled(packets(client, export, selector), allReleases.get(), selector);
      var promotionNames =
          packets.stream().map(p -> p.getSpec().promotion()).collect(Collectors.toSet());
      var releaseNames =
          packets.stream().map(p -> p.getSpec().release()).collect(Collectors.toSet());
      Map<String, List<HasMetadata>> byPromotion = new HashMap<>();
      for (Approval a : approvals.get()) {
        group(byPromotion, promotionNames, a.getSpec().promotion(), a);
      }
      for (DeploymentJob j : jobs.get()) {
        group(byPromotion, promotionNames, j.getSpec().promotion(), j);
      }
      for (ConfigMap cm : decisions.get()) {
        group(byPromotion, promotionNames, cm.getMetadata().getLabels().get(PROMOTION_LABEL), cm);
      }
      return new EvidenceExport.Found(
          packets,
          byName(allPromotions.get(), promotionNames),
          byPromotion,
          byName(allReleases.get(), releaseNames),
          keyring(client));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the selection", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /** The packets of Releases that carry the selector's labels (all, without labels). */
  private static List<EvidencePacket> labelled(
      List<EvidencePacket> packets, List<Release> releases, ExportSpec.Selector selector) {
    if (selector == null || selector.releaseLabels() == null) {
      return packets;
    }
    var labelled = names(releases, selector.releaseLabels());
    return packets.stream().filter(p -> labelled.contains(p.getSpec().release())).toList();
  }

  /** Names of the Releases that carry every one of {@code labels}. */
  private static java.util.Set<String> names(List<Release> releases, Map<String, String> labels) {
    return releases.stream()
        .filter(r -> {
          var own = r.getMetadata().getLabels();
          return own != null && own.entrySet().containsAll(labels.entrySet());
        })
        .map(r -> r.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  private List<EvidencePacket> packets(
      KubernetesClient client, Export export, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    return EvidenceExport.select(
        client
            .resources(EvidencePacket.class)
            .inNamespace(export.getMetadata().getNamespace())
            .list()
            .getItems(),
        selector);
  }

  private EvidenceKeyring keyring(KubernetesClient client) {
    ConfigMap published =
        client
            .configMaps()
            .inNamespace(settings.operatorNamespace())
            .withName(EvidencePublicKey.CONFIG_MAP)
            .get();
    return EvidenceKeyring.published(published == null ? null : published.getData());
  }

  /** The selected Releases and the namespace's findings reports. */
  private FindingsExport.Found findFindings(
      KubernetesClient client, Export export, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    String ns = export.getMetadata().getNamespace();
    Map<String, ConfigMap> reports =
        client
            .configMaps()
            .inNamespace(ns)
            .withLabel(FINDINGS_REPORT_LABEL)
            .list()
            .getItems()
            .stream()
            .collect(Collectors.toMap(cm -> cm.getMetadata().getName(), Function.identity()));
    return new FindingsExport.Found(
        selectedReleases(client, export, selector), reports, keyring(client));
  }

  /**
   * The selected Releases, every TrustPolicy and AdvisoryFeed, and each image's credentials: the
   * policies' own, then the Export namespace's pull secrets, as the Release controller reads them.
   */
  private MirrorExport.Found findMirror(
      KubernetesClient client, Export export, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    var secrets = new KubernetesSecrets(client);
    var material = new TrustMaterial(secrets);
    List<TrustPolicy> policies =
        client.resources(TrustPolicy.class).list().getItems().stream()
            .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<AdvisoryFeed> feeds =
        client.resources(AdvisoryFeed.class).list().getItems().stream()
            .sorted(java.util.Comparator.comparing(f -> f.getMetadata().getName()))
            .toList();
    var pullSecrets = material.pullSecrets(export.getMetadata().getNamespace(), List.of());
    Mirror.Base base = null;
    java.util.Set<String> baseCarries = java.util.Set.of();
    if (export.getSpec().delta() != null) {
      var baseBundle = baseOf(client, export, export.getSpec().delta().export());
      base = baseBundle.base();
      baseCarries = baseBundle.carries();
    }
    return new MirrorExport.Found(
        selectedReleases(client, export, selector),
        policies,
        feeds,
        keyring(client),
        secrets,
        image -> material.credentials(TrustEvaluator.matching(image, policies), pullSecrets, image),
        base,
        baseCarries);
  }

  private record BaseBundle(Mirror.Base base, java.util.Set<String> carries) {}

  /**
   * A delta's base: a complete mirror Export's bundle, read back and checked, and what it carries.
   */
  private BaseBundle baseOf(KubernetesClient client, Export export, String name)
      throws ExportBundles.Refused {
    String ns = export.getMetadata().getNamespace();
    String field = "spec.delta.export: Export " + ns + "/" + name;
    Export base = client.resources(Export.class).inNamespace(ns).withName(name).get();
    if (base == null) {
      throw new ExportBundles.Refused(field + " does not exist");
    }
    if (base.getSpec().profile() != ExportSpec.Profile.MIRROR) {
      throw new ExportBundles.Refused(
          field + " has profile " + base.getSpec().profile().value() + ", not mirror");
    }
    var status = base.getStatus();
    if (status == null || !"Complete".equals(status.getPhase()) || status.getBundle() == null) {
      throw new ExportBundles.Unavailable(field + " is not complete yet");
    }
    String oci =
        status.getLocations().stream()
            .filter(l -> l.startsWith("oci://"))
            .findFirst()
            .orElseThrow(() ->
                new ExportBundles.Refused(
                    field
                        + " was written only to "
                        + String.join(" and ", status.getLocations())
                        + "; a delta reads its base from an OCI repository"));
    byte[] bytes;
    try {
      String reference = oci.substring("oci://".length());
      bytes =
          registry.firstLayer(
              reference,
              repositoryCredentials(
                  client, base, ImageReference.Named.split(reference).orElseThrow().repository()));
    } catch (RegistryException | IllegalArgumentException e) {
      throw new ExportBundles.Unavailable(field + ": " + e.getMessage());
    }
    if (!Sha256.digest(bytes).equals(status.getBundle().digest())) {
      throw new ExportBundles.Refused(
          field
              + ": "
              + oci
              + " is not the bundle it recorded ("
              + status.getBundle().digest()
              + ")");
    }
    try {
      var files = Bundle.unchecked(bytes).checked().files();
      Mirror mirror = Mirror.parse(files.get(Mirror.FILE));
      var carries = OciLayout.read(files, Mirror.LAYOUT, mirror.omittedSet()).carried();
      return new BaseBundle(new Mirror.Base(ns + "/" + name, status.getBundle().digest()), carries);
    } catch (Bundle.Damaged | RuntimeException e) {
      throw new ExportBundles.Refused(field + ": its bundle cannot be read: " + e.getMessage());
    }
  }

  /**
   * A selector by environment or time selects the Releases its evidence names (promoted there,
   * then); {@code releases} names them directly; neither selects every Release of the namespace.
   */
  private List<Release> selectedReleases(
      KubernetesClient client, Export export, ExportSpec.Selector selector)
      throws ExportBundles.Refused {
    String ns = export.getMetadata().getNamespace();
    List<Release> all = client.resources(Release.class).inNamespace(ns).list().getItems();
    java.util.Set<String> wanted =
        all.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    if (selector != null && selector.releases() != null) {
      var missing = selector.releases().stream().filter(r -> !wanted.contains(r)).toList();
      if (!missing.isEmpty()) {
        throw new ExportBundles.Refused(
            "spec.selector.releases names Releases that do not exist in " + ns + ": " + missing);
      }
      wanted.retainAll(selector.releases());
    }
    if (selector != null && selector.releaseLabels() != null) {
      wanted.retainAll(names(all, selector.releaseLabels()));
    }
    if (selector != null
        && (selector.environments() != null
            || selector.since() != null
            || selector.until() != null)) {
      wanted.retainAll(
          packets(client, export, selector).stream().map(p -> p.getSpec().release()).toList());
    }
    return all.stream()
        .filter(r -> wanted.contains(r.getMetadata().getName()))
        .sorted(java.util.Comparator.comparing(r -> r.getMetadata().getName()))
        .toList();
  }

  private static void group(
      Map<String, List<HasMetadata>> byPromotion,
      java.util.Set<String> wanted,
      String promotion,
      HasMetadata object) {
    if (wanted.contains(promotion)) {
      byPromotion.computeIfAbsent(promotion, p -> new ArrayList<>()).add(object);
    }
  }

  private static <T extends HasMetadata> Map<String, T> byName(
      List<T> objects, java.util.Set<String> wanted) {
    return objects.stream()
        .filter(o -> wanted.contains(o.getMetadata().getName()))
        .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
  }

  /**
   * The credentials {@code spec.repositoryCredentials} names for {@code repository}, read from the
   * Export's own namespace: its users must not borrow the operator's. Refused, naming the Secret,
   * when it is missing or holds none for that registry.
   */
  private static Optional<RegistryClient.Credentials> repositoryCredentials(
      KubernetesClient client, Export export, String repository) {
    String secret = export.getSpec().repositoryCredentials();
    if (secret == null) {
      return Optional.empty();
    }
    String ns = export.getMetadata().getNamespace();
    var found =
        new TrustMaterial(new KubernetesSecrets(client))
            .credentials(List.of(new SecretKeyRef(ns, secret, null)), repository);
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "Secret "
              + ns
              + "/"
              + secret
              + " (spec.repositoryCredentials) has no credentials for "
              + ImageReference.parse(repository).registry());
    }
    return found;
  }

  /** Writes the bundle to every destination, each read back and compared; says where. */
  private List<String> store(KubernetesClient client, Export export, String key, byte[] bytes)
      throws ArchiveDestination.ArchiveException {
    var spec = export.getSpec();
    String description = "Export " + export.getMetadata().getNamespace() + "/" + name(export);
    List<String> locations = new ArrayList<>();
    if (spec.repository() != null) {
      Optional<RegistryClient.Credentials> credentials;
      try {
        credentials = repositoryCredentials(client, export, spec.repository());
      } catch (IllegalArgumentException e) {
        throw new ArchiveDestination.ArchiveException(
            "oci://" + spec.repository() + ": " + e.getMessage());
      }
      locations.add(
          new OciArchive(registry, spec.repository(), ExportBundles.ARTIFACT_TYPE, credentials)
              .store(key, bytes, description));
    }
    if (spec.s3() != null) {
      // credentials from the Export's own namespace: its users must not borrow the operator's
      try (var s3 = S3Archive.open(client, export.getMetadata().getNamespace(), spec.s3(), clock)) {
        locations.add(s3.store(key, bytes, description));
      }
    }
    return locations;
  }

  /**
   * The tag (and S3 key) of an Export's bundle: {@code <namespace>.<name>}, hashed past 110 (a run
   * of a scheduled one appends its time, and a tag holds 128).
   */
  static String key(Export export) {
    String key = export.getMetadata().getNamespace() + "." + name(export);
    return key.length() <= 110
        ? key
        : "export." + Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
  }
}
