package io.stellaops.controllers.release;

import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.stellaops.controllers.kubernetes.KubernetesSecrets;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.status.Conditions;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.release.ComponentStatus;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseComponent;
import io.stellaops.crds.release.ReleaseStatus;
import io.stellaops.crds.trustpolicy.TrustPolicy;
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
import java.util.stream.Collectors;

/**
 * Verifies each component of a Release against the TrustPolicies that cover its image and records
 * the verdicts in status (what the signaturesVerified gate reads). Conditions: Verified and Ready;
 * Stalled while a component is not verified (signing it or adding a TrustPolicy fixes that). A
 * release that is not fully verified is looked at again every two minutes (a signature may be
 * pushed after the Release) and whenever a TrustPolicy changes.
 *
 * <p>Components with an SBOM attestation are matched against every loaded AdvisoryFeed (findings in
 * status, the full report in a ConfigMap), again whenever a feed loads a new snapshot or VEX
 * document, from the SBOM kept in memory. Open findings that were not there before set
 * NewFindings=True and are named in an Event.
 */
@ControllerConfiguration
public class ReleaseReconciler implements Reconciler<Release> {
  private static final Duration RECHECK = Duration.ofMinutes(2);

  private final Clock clock;
  private final TrustEvaluator evaluator;
  private final AdvisoryFeeds feeds;
  private final Sboms sboms;
  private final SlsaProvenance.Reader provenances;

  /**
   * {@code evaluator} is shared with the admission webhook, so its verdicts serve both; {@code
   * feeds} with the AdvisoryFeed controller.
   */
  public ReleaseReconciler(
      Clock clock,
      TrustEvaluator evaluator,
      AdvisoryFeeds feeds,
      Sboms sboms,
      SlsaProvenance.Reader provenances) {
    this.clock = clock;
    this.evaluator = evaluator;
    this.feeds = feeds;
    this.sboms = sboms;
    this.provenances = provenances;
  }

  @Override
  public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
    var policies =
        InformerEventSourceConfiguration.from(TrustPolicy.class, Release.class)
            .withSecondaryToPrimaryMapper((TrustPolicy changed) -> allReleases(context))
            .build();
    var advisoryFeeds =
        InformerEventSourceConfiguration.from(AdvisoryFeed.class, Release.class)
            .withSecondaryToPrimaryMapper((AdvisoryFeed changed) -> allReleases(context))
            .build();
    return List.of(
        new InformerEventSource<>(policies, context),
        new InformerEventSource<>(advisoryFeeds, context));
  }

  /** A trust policy or advisory feed may concern any release. */
  private static java.util.Set<ResourceID> allReleases(EventSourceContext<Release> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    // All policies, not just those mapped to this release: a policy may predate the release.
    List<TrustPolicy> policies = client.resources(TrustPolicy.class).list().getItems();
    TrustMaterial material = new TrustMaterial(new KubernetesSecrets(client));
    var pullSecrets = material.pullSecrets(release.getMetadata().getNamespace(), List.of());
    List<ComponentStatus> components = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<AdvisoryFeeds.Loaded> loaded =
        feeds.loaded(
            client.resources(AdvisoryFeed.class).list().getItems().stream()
                .map(f -> f.getMetadata().getName())
                .toList());
    Map<String, FindingsSummary> before = new java.util.HashMap<>();
    if (release.getStatus() != null && release.getStatus().getComponents() != null) {
      release.getStatus().getComponents().stream()
          .filter(c -> c.findings() != null)
          .forEach(c -> before.put(c.name(), c.findings()));
    }
    List<String> scanProblems = new ArrayList<>();
    List<String> newFindings = new ArrayList<>();
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
      FindingsSummary findings = null;
      if (sbomDigest != null && !loaded.isEmpty()) {
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
          ReleaseFindings.newIds(before.get(c.name()), findings)
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
      components.add(
          new ComponentStatus(
              c.name(),
              c.digest(),
              c.tag(),
              result.signature(),
              result.verifiedBy(),
              Conditions.timestamp(now),
              sbomDigest,
              findings,
              provenance));
      if (!TrustEvaluator.VERIFIED.equals(result.signature())) {
        problems.add(c.name() + ": " + result.message());
      }
    }
    ReleaseStatus status = release.getStatus() == null ? new ReleaseStatus() : release.getStatus();
    status.setComponents(components);
    long generation = release.getMetadata().getGeneration();
    findingsConditions(client, release, status, loaded, newFindings, scanProblems, now);
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
    var control = UpdateControl.patchStatus(StatusPatch.of(release, status, Release::new));
    return problems.isEmpty() ? control : control.rescheduleAfter(RECHECK);
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
