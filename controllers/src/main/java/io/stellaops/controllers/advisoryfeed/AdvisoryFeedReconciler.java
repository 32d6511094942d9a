package io.stellaops.controllers.advisoryfeed;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.advisoryfeed.AdvisoryFeedStatus;
import io.stellaops.crds.advisoryfeed.FeedSource;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.advisory.SnapshotException;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.findings.VexException;
import io.stellaops.supplychain.findings.VexStatements;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.time.GoDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads an AdvisoryFeed's OSV snapshot and VEX documents (volume path, ConfigMap or OCI artifact)
 * into {@link AdvisoryFeeds} and reports digest, counts and load time. A snapshot or VEX document
 * that cannot be read sets Ready=False and Stalled=True naming the file and why, and the previous
 * snapshot keeps serving. Sources are read again every {@code refreshInterval}, and at once when a
 * ConfigMap labelled {@code stellaops.io/advisory-feed=<feed>} changes.
 *
 * <p>Ready means loaded in this process: a feed whose status says Ready from an earlier process is
 * first marked Ready=False (Loading) until its snapshot is loaded here, and {@link #notTriedYet}
 * tells the operator's readiness which feeds it still waits for.
 */
@ControllerConfiguration
public class AdvisoryFeedReconciler implements Reconciler<AdvisoryFeed> {
  private static final Duration RETRY = Duration.ofMinutes(1);

  private final Clock clock;
  private final AdvisoryFeeds feeds;
  private final RegistryClient registry;
  private volatile IndexerResourceCache<AdvisoryFeed> cache;

  public AdvisoryFeedReconciler(Clock clock, AdvisoryFeeds feeds, RegistryClient registry) {
    this.clock = clock;
    this.feeds = feeds;
    this.registry = registry;
  }

  /** ConfigMaps carrying this label (its value: the feed) reload their feed when they change. */
  public static final String FEED_LABEL = "stellaops.io/advisory-feed";

  @Override
  public List<EventSource<?, AdvisoryFeed>> prepareEventSources(
      EventSourceContext<AdvisoryFeed> context) {
    cache = context.getPrimaryCache();
    var configMaps =
        InformerEventSourceConfiguration.from(ConfigMap.class, AdvisoryFeed.class)
            .withLabelSelector(FEED_LABEL)
            .withSecondaryToPrimaryMapper((ConfigMap changed) ->
                Set.of(new ResourceID(changed.getMetadata().getLabels().get(FEED_LABEL))))
            .build();
    return List.of(new InformerEventSource<>(configMaps, context));
  }

  @Override
  public UpdateControl<AdvisoryFeed> reconcile(AdvisoryFeed feed, Context<AdvisoryFeed> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    String name = feed.getMetadata().getName();
    long generation = feed.getMetadata().getGeneration();
    AdvisoryFeedStatus status =
        feed.getStatus() == null
            ? new AdvisoryFeedStatus()
            : client.getKubernetesSerialization().clone(feed.getStatus());
    Duration refresh =
        GoDuration.parse(
            feed.getSpec().refreshInterval() == null ? "1h" : feed.getSpec().refreshInterval());
    AdvisoryFeeds.Loaded previous = feeds.get(name);
    if (!feeds.tried(name)
        && Conditions.find(status, ConditionTypes.READY)
            .map(c -> c.status() == Condition.Status.TRUE)
            .orElse(false)) {
      // Ready from an earlier process: not true here until loaded, so say so first
      Conditions.reconciling(
          status,
          generation,
          "Loading",
          "loading the snapshot in this operator process; vulnerability gates wait for it",
          now);
      return UpdateControl.patchStatus(StatusPatch.of(feed, status, AdvisoryFeed::new))
          .rescheduleAfter(Duration.ofMillis(1));
    }
    try {
      AdvisoryIndex index = snapshot(client, feed.getSpec().source());
      Map<String, byte[]> documents = new LinkedHashMap<>();
      List<FeedSource> vexSources = feed.getSpec().vex() == null ? List.of() : feed.getSpec().vex();
      for (FeedSource source : vexSources) {
        documents.putAll(vexDocuments(client, source));
      }
      VexStatements vex = VexStatements.parse(documents);
      Map<String, String> vexDigests = new LinkedHashMap<>();
      documents.forEach((document, bytes) -> vexDigests.put(document, Sha256.digest(bytes)));
      String vexDigest = documents.isEmpty() ? null : Sha256.ofNamed(vexDigests);
      boolean unchanged =
          previous != null
              && previous.index().digest().equals(index.digest())
              && java.util.Objects.equals(previous.vexDigest(), vexDigest);
      String loadedAt = unchanged ? previous.loadedAt() : Conditions.timestamp(now);
      feeds.put(new AdvisoryFeeds.Loaded(name, index, vex, vexDigest, loadedAt));
      ControllerMetrics.ADVISORY_FEED_LOADS
          .labelValues(name, unchanged ? "unchanged" : "loaded")
          .inc();
      status.setSnapshotDigest(index.digest());
      status.setLoadedAt(loadedAt);
      status.setAdvisories(index.advisories());
      status.setEcosystems(new java.util.TreeMap<>(index.perEcosystem()));
      status.setVexStatements(vex.size());
      List<String> ignored = vex.warnings();
      status.setVexWarnings(
          ignored.isEmpty() ? null : List.copyOf(ignored.subList(0, Math.min(20, ignored.size()))));
      String message =
          index.advisories()
              + " advisories ("
              + index.perEcosystem().entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", "))
              + "), "
              + vex.size()
              + " VEX statements"
              + (ignored.isEmpty()
                  ? ""
                  : " (" + ignored.size() + " left out, they can never apply: see vexWarnings)");
      Conditions.ready(status, generation, "Loaded", message, now);
      return StatusPatch.ifChanged(
              feed, status, AdvisoryFeed::new, client.getKubernetesSerialization())
          .rescheduleAfter(refresh);
    } catch (SnapshotException | VexException | IllegalArgumentException e) {
      String message =
          e.getMessage()
              + (previous == null
                  ? "; no snapshot is loaded, so vulnerability gates cannot pass"
                  : "; still serving "
                      + previous.index().digest()
                      + " loaded at "
                      + previous.loadedAt());
      feeds.failed(name, e.getMessage());
      ControllerMetrics.ADVISORY_FEED_LOADS.labelValues(name, "failed").inc();
      Conditions.stalled(status, generation, "SnapshotInvalid", message, now);
      return StatusPatch.ifChanged(
              feed, status, AdvisoryFeed::new, client.getKubernetesSerialization())
          .rescheduleAfter(refresh.compareTo(RETRY) < 0 ? refresh : RETRY);
    }
  }

  /** The existing feeds this process has not tried to load yet, by name; empty before start. */
  public List<String> notTriedYet() {
    var known = cache;
    if (known == null) {
      return List.of();
    }
    return known
        .list()
        .map(f -> f.getMetadata().getName())
        .filter(name -> !feeds.tried(name))
        .sorted()
        .toList();
  }

  private AdvisoryIndex snapshot(KubernetesClient client, FeedSource source)
      throws SnapshotException {
    if (source.path() != null) {
      return AdvisorySnapshots.load(Path.of(source.path()));
    }
    if (source.oci() != null) {
      return AdvisorySnapshots.fromRegistry(registry, source.oci(), Optional.empty());
    }
    var ref = source.configMap();
    return AdvisorySnapshots.document(where(ref), configMapValue(client, ref));
  }

  private Map<String, byte[]> vexDocuments(KubernetesClient client, FeedSource source)
      throws VexException {
    Map<String, byte[]> documents = new LinkedHashMap<>();
    try {
      if (source.path() != null) {
        Path path = Path.of(source.path());
        if (Files.isDirectory(path)) {
          try (Stream<Path> files = Files.list(path)) {
            for (Path f :
                files
                    .filter(f ->
                        f.toString().endsWith(".json")
                            && !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
              documents.put(f.toString(), Files.readAllBytes(f));
            }
          }
        } else {
          documents.put(path.toString(), Files.readAllBytes(path));
        }
      } else if (source.oci() != null) {
        documents.put(source.oci(), ociDocument(source.oci()));
      } else {
        documents.put(where(source.configMap()), configMapValue(client, source.configMap()));
      }
    } catch (IOException e) {
      throw new VexException(source.path() + ": cannot be read: " + e.getMessage());
    } catch (SnapshotException e) {
      throw new VexException(e.getMessage());
    }
    return documents;
  }

  /** The first layer of an OCI artifact holding one VEX document. */
  private byte[] ociDocument(String reference) throws VexException {
    try {
      return registry.firstLayer(reference, Optional.empty());
    } catch (RegistryException e) {
      throw new VexException(e.getMessage());
    }
  }

  private static byte[] configMapValue(KubernetesClient client, SecretKeyRef ref)
      throws SnapshotException {
    ConfigMap map = client.configMaps().inNamespace(ref.namespace()).withName(ref.name()).get();
    if (map == null) {
      throw new SnapshotException(where(ref), "the ConfigMap does not exist");
    }
    String key = ref.key();
    if (map.getData() != null && map.getData().containsKey(key)) {
      return map.getData().get(key).getBytes(StandardCharsets.UTF_8);
    }
    if (map.getBinaryData() != null && map.getBinaryData().containsKey(key)) {
      return Base64.getDecoder().decode(map.getBinaryData().get(key));
    }
    throw new SnapshotException(where(ref), "the ConfigMap has no key " + key);
  }

  private static String where(SecretKeyRef ref) {
    return "ConfigMap " + ref.namespace() + "/" + ref.name() + " key " + ref.key();
  }
}
