package io.stellaops.controllers.release;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.controllers.kubernetes.Informers;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.kubernetes.WithoutManagedFields;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.release.ComponentStatus;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseComponent;
import io.stellaops.crds.release.ReleaseStatus;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.oci.ImageGlob;
import io.stellaops.supplychain.policy.SecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import io.stellaops.supplychain.provenance.SlsaProvenance;
import io.stellaops.supplychain.sbom.Sbom;
import io.stellaops.supplychain.sbom.SbomException;
import io.stellaops.supplychain.sbom.Sboms;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies each component of a Release against the TrustPolicies that cover its image and records
 * the verdicts in status (what the signaturesVerified gate reads). Conditions: Verified and Ready;
 * Stalled while a component is not verified (signing it or adding a TrustPolicy fixes that). A
 * release a policy covers but no signature satisfies is looked at again every two minutes (a
 * signature may be pushed after the Release); any release when a TrustPolicy that covers or covered
 * one of its images changes its spec. Policies, feeds and pull secrets are read from informer
 * caches, and status is written only when it changed: timestamps keep the time their verdict was
 * first reached.
 *
 * <p>Components with an SBOM attestation are matched against every loaded AdvisoryFeed (findings in
 * status, the full report in a ConfigMap), again whenever a feed loads a new snapshot or VEX
 * document, from the SBOM kept in memory. Open findings that were not there before set
 * NewFindings=True and are named in an Event.
 */
@ControllerConfiguration(informer = @Informer(itemStore = WithoutManagedFields.class))
public class ReleaseReconciler implements Reconciler<Release> {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseReconciler.class);
  private static final Duration RECHECK = Duration.ofMinutes(2);
  private static final String DEFAULT_ACCOUNT = "default";

  private final Clock clock;
  private final TrustEvaluator evaluator;
  private final AdvisoryFeeds feeds;
  private final Sboms sboms;
  private final SlsaProvenance.Reader provenances;
  private final SecretSource keys;
  // what the mappers saw of each policy and feed, by name; see Seen
  private final Map<String, Seen<List<String>>> policiesSeen = new ConcurrentHashMap<>();
  private final Map<String, Seen<String>> feedsSeen = new ConcurrentHashMap<>();
  // releases the last evaluation found an SBOM for: those a new feed snapshot concerns
  private final Set<ResourceID> withSbom = ConcurrentHashMap.newKeySet();

  /**
   * {@code evaluator} is shared with the admission webhook, so its verdicts serve both; {@code
   * feeds} with the AdvisoryFeed controller. {@code keys} reads the Secrets policies name (keys,
   * trust roots, registry credentials); the namespaces' pull secrets come from a ServiceAccount
   * cache.
   */
  public ReleaseReconciler(
      Clock clock,
      TrustEvaluator evaluator,
      AdvisoryFeeds feeds,
      Sboms sboms,
      SlsaProvenance.Reader provenances,
      SecretSource keys) {
    this.clock = clock;
    this.keys = keys;
    this.evaluator = evaluator;
    this.feeds = feeds;
    this.sboms = sboms;
    this.provenances = provenances;
  }

  @Override
  public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
    var policies =
        InformerEventSourceConfiguration.from(TrustPolicy.class, Release.class)
            .withOnUpdateFilter((TrustPolicy now, TrustPolicy was) ->
                !Objects.equals(
                    now.getMetadata().getGeneration(), was.getMetadata().getGeneration()))
            .withSecondaryToPrimaryMapper((TrustPolicy changed) -> coveredBy(context, changed))
            .build();
    var advisoryFeeds =
        InformerEventSourceConfiguration.from(AdvisoryFeed.class, Release.class)
            // forgotten first, so the mapper sees a deleted feed's snapshot as a change
            .withOnDeleteFilter((AdvisoryFeed deleted, Boolean finalStateUnknown) -> {
              feedsSeen.remove(deleted.getMetadata().getName());
              return true;
            })
            .withSecondaryToPrimaryMapper(
                (AdvisoryFeed changed) -> withSbomsIfReloaded(context, changed))
            .build();
    var serviceAccounts =
        InformerEventSourceConfiguration.from(ServiceAccount.class, Release.class)
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("metadata.name", DEFAULT_ACCOUNT)))
            .withOnUpdateFilter((ServiceAccount now, ServiceAccount was) ->
                !Objects.equals(now.getImagePullSecrets(), was.getImagePullSecrets()))
            .withSecondaryToPrimaryMapper((ServiceAccount changed) ->
                releases(
                    context,
                    r ->
                        r.getMetadata()
                            .getNamespace()
                            .equals(changed.getMetadata().getNamespace())))
            .build();
    return List.of(
        new InformerEventSource<>(policies, context),
        new InformerEventSource<>(advisoryFeeds, context),
        new InformerEventSource<>(serviceAccounts, context));
  }

  /**
   * The releases a policy covers now or covered before this change: its images then and now
   * (remembered here, since the mapper only sees the new version).
   */
  private Set<ResourceID> coveredBy(EventSourceContext<Release> context, TrustPolicy changed) {
    String name = changed.getMetadata().getName();
    String version = changed.getMetadata().getResourceVersion();
    Seen<List<String>> seen = policiesSeen.get(name);
    if (seen != null && seen.version().equals(version)) {
      return seen.answer();
    }
    List<String> globs = new ArrayList<>(changed.getSpec().images());
    if (seen != null) {
      globs.addAll(seen.value());
    }
    List<ImageGlob> compiled = globs.stream().distinct().map(ImageGlob::compile).toList();
    Set<ResourceID> answer =
        releases(
            context,
            r ->
                r.getSpec().components().stream()
                    .anyMatch(c -> compiled.stream().anyMatch(g -> g.matches(c.image()))));
    policiesSeen.put(name, new Seen<>(version, List.copyOf(changed.getSpec().images()), answer));
    return answer;
  }

  /**
   * The releases whose findings depend on a feed, when the snapshot or VEX documents the feed has
   * loaded differ from the last ones seen here (a status-only change re-gates nothing).
   */
  private Set<ResourceID> withSbomsIfReloaded(
      EventSourceContext<Release> context, AdvisoryFeed changed) {
    String name = changed.getMetadata().getName();
    String label = feeds.describe(name);
    String version = changed.getMetadata().getResourceVersion();
    Seen<String> seen = feedsSeen.get(name);
    if (seen != null && seen.version().equals(version)) {
      return seen.answer();
    }
    Set<ResourceID> answer =
        seen != null && seen.value().equals(label)
            ? Set.of()
            : releases(context, r -> withSbom.contains(ResourceID.fromResource(r)));
    feedsSeen.put(name, new Seen<>(version, label, answer));
    return answer;
  }

  /**
   * A version of a policy or feed as a mapper saw it, with its answer. JOSDK calls a mapper twice
   * for one event (to index, then to propagate): the second call must get the same answer, not one
   * computed against what the first call remembered.
   */
  private record Seen<T>(String version, T value, Set<ResourceID> answer) {}

  /** The loaded state of every feed in the cache (deleted feeds are left out). */
  private AdvisoryFeeds.State feedState(Context<Release> context) {
    return feeds.state(
        Informers.of(context, AdvisoryFeed.class)
            .list()
            .map(f -> f.getMetadata().getName())
            .toList());
  }

  private static Set<ResourceID> releases(
      EventSourceContext<Release> context, Predicate<Release> which) {
    return context
        .getPrimaryCache()
        .list(which)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    String namespace = release.getMetadata().getNamespace();
    // All policies in the cache, not just those mapped to this release: one may predate it.
    List<TrustPolicy> policies = Informers.of(context, TrustPolicy.class).list().toList();
    TrustMaterial material = new TrustMaterial(secrets(client, context));
    var pullSecrets = material.pullSecrets(namespace, List.of());
    List<ComponentStatus> components = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    AdvisoryFeeds.State feedState = feedState(context);
    List<AdvisoryFeeds.Loaded> loaded = feedState.loaded();
    String feedLabel = feedState.label();
    // A feed not yet loaded by this process (just started): matching now would miss its
    // advisories, so earlier findings stay as they are until it is.
    boolean feedsLoading = feedState.loading();
    Map<String, ComponentStatus> before = new java.util.HashMap<>();
    if (release.getStatus() != null && release.getStatus().getComponents() != null) {
      release.getStatus().getComponents().forEach(c -> before.put(c.name(), c));
    }
    boolean recheck = false;
    List<String> scanProblems = new ArrayList<>();
    List<String> newFindings = new ArrayList<>();
    boolean rematched = false;
    for (ReleaseComponent c : release.getSpec().components()) {
      if (c.digest() == null) {
        components.add(
            new ComponentStatus(
                c.name(), null, c.tag(), TrustEvaluator.FAILED, null, null, null, null, null));
        problems.add(c.name() + ": no digest (the tag was not resolved at admission)");
        continue;
      }
      var result = evaluator.evaluate(c.image(), c.digest(), policies, material, pullSecrets);
      String sbomDigest = sbomAttestation(result);
      boolean attested = sbomDigest != null;
      if (!attested && c.sbom() != null) {
        sbomDigest = c.sbom().digest();
      }
      ComponentStatus previous = before.get(c.name());
      FindingsSummary findings = null;
      if (previous != null
          && previous.findings() != null
          && c.digest().equals(previous.digest())
          && Objects.equals(sbomDigest, previous.sbomDigest())
          && feedLabel.equals(previous.findings().feedDigest())) {
        findings = previous.findings(); // the same SBOM against the same snapshots
      } else if (feedsLoading) {
        if (previous != null
            && c.digest().equals(previous.digest())
            && Objects.equals(sbomDigest, previous.sbomDigest())) {
          findings = previous.findings(); // matchedFeeds still names what they were matched with
        }
      } else if (sbomDigest != null && !loaded.isEmpty()) {
        rematched = true;
        try {
          String holder = attested ? c.image() : c.sbom().image();
          var credentials =
              material.credentials(TrustEvaluator.matching(holder, policies), pullSecrets, holder);
          Sbom sbom =
              attested
                  ? sboms.attested(c.image(), sbomDigest, credentials)
                  : sboms.artifact(c.sbom().image(), sbomDigest, credentials);
          findings =
              ReleaseFindings.summarise(client, release, c.name(), sbom, c.digest(), loaded, now);
          ReleaseFindings.newIds(previous == null ? null : previous.findings(), findings)
              .forEach(id -> newFindings.add(c.name() + ": " + id));
        } catch (SbomException | IllegalArgumentException e) {
          // IllegalArgumentException: a registry credentials Secret that cannot be read
          scanProblems.add(c.name() + ": " + e.getMessage());
        }
      }
      ProvenanceSummary provenance = null;
      try {
        provenance =
            provenance(
                result,
                c.image(),
                () ->
                    material.credentials(
                        TrustEvaluator.matching(c.image(), policies), pullSecrets, c.image()));
      } catch (IllegalArgumentException e) {
        problems.add(c.name() + ": " + e.getMessage());
      }
      boolean sameVerdict =
          previous != null
              && c.digest().equals(previous.digest())
              && Objects.equals(result.signature(), previous.signature())
              && Objects.equals(result.verifiedBy(), previous.verifiedBy());
      components.add(
          new ComponentStatus(
              c.name(),
              c.digest(),
              c.tag(),
              result.signature(),
              result.verifiedBy(),
              sameVerdict ? previous.verifiedAt() : Conditions.timestamp(now),
              sbomDigest,
              findings,
              provenance));
      if (!TrustEvaluator.VERIFIED.equals(result.signature())) {
        problems.add(c.name() + ": " + result.message());
        // a policy covers it but no signature satisfies it yet: one may be pushed later
        recheck |= !TrustEvaluator.UNVERIFIED.equals(result.signature());
      }
    }
    ReleaseStatus status =
        release.getStatus() == null
            ? new ReleaseStatus()
            : client.getKubernetesSerialization().clone(release.getStatus());
    status.setComponents(components);
    if (!feedsLoading) {
      status.setMatchedFeeds(feedLabel.isEmpty() ? null : feedLabel);
    }
    long generation = release.getMetadata().getGeneration();
    if (rematched) {
      // NewFindings speaks of the last re-match; kept findings leave it as it is
      findingsConditions(client, release, status, loaded, newFindings, scanProblems, now);
    }
    if (problems.isEmpty()) {
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.VERIFIED,
              Condition.Status.TRUE,
              "SignaturesVerified",
              "every component is signed as its TrustPolicies require",
              generation),
          now);
      Conditions.ready(
          status,
          generation,
          "SignaturesVerified",
          "every component is signed as its TrustPolicies require",
          now);
    } else {
      String message = String.join("; ", problems);
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.VERIFIED,
              Condition.Status.FALSE,
              "SignatureNotVerified",
              message,
              generation),
          now);
      Conditions.stalled(status, generation, "SignatureNotVerified", message, now);
    }
    logTransition(release, status);
    ResourceID id = ResourceID.fromResource(release);
    if (components.stream().anyMatch(c -> c.sbomDigest() != null)) {
      withSbom.add(id);
    } else {
      withSbom.remove(id);
    }
    // A snapshot loaded while this ran was not seen here and its event may have passed over this
    // release (not yet in withSbom): look again at once. Checked after withSbom is updated, so
    // either this sees the new snapshot or its event sees this release.
    AdvisoryFeeds.State feedsAfter = feedState(context);
    boolean feedsMoved =
        !feedLabel.equals(feedsAfter.label()) || !feedState.missing().equals(feedsAfter.missing());
    // timestamps only move when their fact changes, so an unchanged verdict writes nothing
    UpdateControl<Release> control =
        StatusPatch.ifChanged(release, status, Release::new, client.getKubernetesSerialization());
    if (feedsMoved) {
      return control.rescheduleAfter(Duration.ofMillis(1));
    }
    return recheck ? control.rescheduleAfter(RECHECK) : control;
  }

  private static void logTransition(Release release, ReleaseStatus now) {
    var was = Conditions.find(release.getStatus(), ConditionTypes.VERIFIED).map(Condition::status);
    var is = Conditions.find(now, ConditionTypes.VERIFIED).orElseThrow();
    if (was.isEmpty() || was.get() != is.status()) {
      LOG.info(
          "Release {}/{}: Verified {} -> {} ({}): {}",
          release.getMetadata().getNamespace(),
          release.getMetadata().getName(),
          was.map(Condition.Status::value).orElse("-"),
          is.status().value(),
          is.reason(),
          is.message());
    }
  }

  /**
   * {@code keys} for Secrets; pull secrets of a namespace's default ServiceAccount from the cache.
   */
  private SecretSource secrets(KubernetesClient client, Context<Release> context) {
    InformerEventSource<ServiceAccount, Release> accounts =
        Informers.of(context, ServiceAccount.class);
    return new SecretSource() {
      @Override
      public Optional<Map<String, byte[]>> read(String namespace, String name) {
        return keys.read(namespace, name);
      }

      @Override
      public List<String> pullSecretNames(String namespace) {
        return accounts
            .get(new ResourceID(DEFAULT_ACCOUNT, namespace))
            .map(ServiceAccount::getImagePullSecrets)
            .orElse(List.of())
            .stream()
            .map(LocalObjectReference::getName)
            .toList();
      }
    };
  }

  /**
   * NewFindings=True naming the open findings a new snapshot or VEX document brought (with an
   * Event), False otherwise; SBOMs that cannot be read are named too.
   */
  private static void findingsConditions(
      KubernetesClient client,
      Release release,
      ReleaseStatus status,
      List<AdvisoryFeeds.Loaded> loaded,
      List<String> newFindings,
      List<String> scanProblems,
      Instant now) {
    if (loaded.isEmpty() && scanProblems.isEmpty()) {
      return;
    }
    long generation = release.getMetadata().getGeneration();
    if (!newFindings.isEmpty()) {
      String message = "new open findings: " + String.join(", ", newFindings);
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.NEW_FINDINGS,
              Condition.Status.TRUE,
              "NewFindings",
              message,
              generation),
          now);
      KubernetesEvents.record(client, release, "Warning", "NewFindings", message, now);
    } else if (!scanProblems.isEmpty()) {
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.NEW_FINDINGS,
              Condition.Status.UNKNOWN,
              "SbomUnreadable",
              String.join("; ", scanProblems),
              generation),
          now);
    } else if (Conditions.find(status, ConditionTypes.NEW_FINDINGS)
        .map(c -> c.status() != Condition.Status.FALSE)
        .orElse(true)) {
      Conditions.set(
          status,
          Conditions.condition(
              ConditionTypes.NEW_FINDINGS,
              Condition.Status.FALSE,
              "NoNewFindings",
              "the last evaluation found no open finding that was not there before",
              generation),
          now);
    }
  }

  /** The verified SLSA provenance a policy required, if any. */
  private ProvenanceSummary provenance(
      TrustEvaluator.Result result,
      String image,
      java.util.function.Supplier<
              java.util.Optional<io.stellaops.supplychain.oci.RegistryClient.Credentials>>
          credentials) {
    for (var attested : result.attestations().entrySet()) {
      if (SlsaProvenance.isProvenance(attested.getKey())) {
        SlsaProvenance p =
            provenances.read(image, attested.getValue(), attested.getKey(), credentials.get());
        return new ProvenanceSummary(
            p.predicateType(),
            p.builderId(),
            p.buildType(),
            p.sourceRepository(),
            p.sourceRef(),
            p.sourceDigest(),
            attested.getValue());
      }
    }
    return null;
  }

  /** The DSSE envelope of the SBOM attestation (CycloneDX or SPDX) a policy required, if any. */
  private static String sbomAttestation(TrustEvaluator.Result result) {
    return result.attestations().entrySet().stream()
        .filter(e -> e.getKey().contains("cyclonedx") || e.getKey().contains("spdx"))
        .map(java.util.Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }
}
