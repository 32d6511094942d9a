package io.stellaops.controllers.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.controllers.kubernetes.Informers;
import io.stellaops.controllers.kubernetes.StalledLog;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.kubernetes.WithoutManagedFields;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.promotion.PromotionStateMachine.Action;
import io.stellaops.controllers.promotion.PromotionStateMachine.CreateJob;
import io.stellaops.controllers.promotion.PromotionStateMachine.MarkApproval;
import io.stellaops.controllers.promotion.PromotionStateMachine.RecordDecision;
import io.stellaops.controllers.promotion.PromotionStateMachine.RecordEvidence;
import io.stellaops.controllers.promotion.PromotionStateMachine.StartRollback;
import io.stellaops.controllers.promotion.PromotionStateMachine.Step;
import io.stellaops.controllers.promotion.PromotionStateMachine.TimeOutJob;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.target.Target;
import io.stellaops.decision.evidence.PromotionEvidence;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives each Promotion by its {@link PromotionStateMachine}: reads the promotion and everything it
 * depends on from informer caches (no API reads), performs the step's actions, then writes the
 * status once, only when it changed. Owns Promotion status and Approval {@code status}; reads
 * DeploymentJob status (written by agents, and TimedOut by this controller only while a job is
 * unfinished).
 */
// A burst of job reports reaches a promotion as one reconcile, not one status write per job.
@RateLimited(maxReconciliations = 2, within = 1, unit = TimeUnit.SECONDS)
@ControllerConfiguration(informer = @Informer(itemStore = WithoutManagedFields.class))
public class PromotionReconciler implements Reconciler<Promotion> {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionReconciler.class);
  private static final String BY_ENVIRONMENT = "environment";
  private static final String BY_RELEASE = "release";
  private static final PatchContext APPLY_STATUS =
      new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY)
          .withFieldManager("stella-operator-promotions")
          .withForce(true)
          .build();

  private final Clock clock;
  private final Supplier<EvidenceSigningKey> signingKey;
  private volatile IndexerResourceCache<Promotion> promotions;
  private volatile InformerEventSource<Promotion, Promotion> sameEnvironment;

  private final AdvisoryFeeds feeds;

  /**
   * {@code feeds}: the snapshots this process loaded (shared with the AdvisoryFeed and Release
   * controllers); promotions whose gates read findings wait until every feed has one.
   */
  public PromotionReconciler(
      Clock clock, Supplier<EvidenceSigningKey> signingKey, AdvisoryFeeds feeds) {
    this.clock = clock;
    this.signingKey = signingKey;
    this.feeds = feeds;
  }

  @Override
  public List<EventSource<?, Promotion>> prepareEventSources(
      EventSourceContext<Promotion> context) {
    promotions = context.getPrimaryCache();
    promotions.addIndexers(
        Map.of(
            BY_ENVIRONMENT,
            PromotionReconciler::environmentKey,
            BY_RELEASE,
            p ->
                p.getSpec() == null
                    ? List.of()
                    : List.of(key(p.getMetadata().getNamespace(), p.getSpec().release()))));
    var approvals =
        InformerEventSourceConfiguration.from(Approval.class, Promotion.class)
            .withItemStore(new WithoutManagedFields<>())
            .withSecondaryToPrimaryMapper(a ->
                Set.of(new ResourceID(a.getSpec().promotion(), a.getMetadata().getNamespace())))
            .build();
    var jobs =
        InformerEventSourceConfiguration.from(DeploymentJob.class, Promotion.class)
            .withItemStore(new WithoutManagedFields<>())
            .withSecondaryToPrimaryMapper(j ->
                Set.of(new ResourceID(j.getSpec().promotion(), j.getMetadata().getNamespace())))
            .build();
    var decisions =
        InformerEventSourceConfiguration.from(ConfigMap.class, Promotion.class)
            .withItemStore(new WithoutManagedFields<>())
            .withLabelSelector(IlmMetadata.RECORD + "=" + IlmMetadata.DECISION_RECORD)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Promotion.class))
            .build();
    // Promotions into the same environment wake each other: one ending releases the queue, a new
    // one supersedes those still waiting, a rollback succeeding marks the failed one RolledBack.
    var neighbours =
        InformerEventSourceConfiguration.from(Promotion.class, Promotion.class)
            .withName("same-environment-promotions")
            .withItemStore(new WithoutManagedFields<>())
            .withSecondaryToPrimaryMapper((Promotion changed) ->
                promotions
                    .byIndex(
                        BY_ENVIRONMENT,
                        key(changed.getMetadata().getNamespace(), changed.getSpec().environment()))
                    .stream()
                    .filter(p -> !p.getMetadata().getName().equals(changed.getMetadata().getName()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .build();
    // A release whose findings change (a new advisory snapshot or VEX document) gates its
    // promotions that have not started deploying again.
    var releases =
        InformerEventSourceConfiguration.from(Release.class, Promotion.class)
            .withItemStore(new WithoutManagedFields<>())
            .withSecondaryToPrimaryMapper((Release changed) ->
                waiting(
                    promotions.byIndex(
                        BY_RELEASE,
                        key(
                            changed.getMetadata().getNamespace(),
                            changed.getMetadata().getName()))))
            .build();
    // An environment's rules, or its or an upstream's history, and gate policies change what
    // waiting promotions of the namespace are decided on.
    var environments =
        InformerEventSourceConfiguration.from(Environment.class, Promotion.class)
            .withSecondaryToPrimaryMapper((Environment changed) -> waitingIn(changed))
            .withOnUpdateFilter((now, before) ->
                !Objects.equals(
                        now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
                    || historyChanged(now, before))
            .build();
    var gatePolicies =
        InformerEventSourceConfiguration.from(GatePolicy.class, Promotion.class)
            .withSecondaryToPrimaryMapper((GatePolicy changed) -> waitingIn(changed))
            .build();
    // A feed loaded (or failed) here changes what waiting promotions may be decided on.
    var advisoryFeeds =
        InformerEventSourceConfiguration.from(AdvisoryFeed.class, Promotion.class)
            .withSecondaryToPrimaryMapper(
                (AdvisoryFeed changed) -> waiting(promotions.list().toList()))
            .build();
    // The queue and rollbacks read neighbours from this informer, the one whose event woke them:
    // the primary cache may not have the neighbour's newest status yet.
    var sameEnvironment = new InformerEventSource<>(neighbours, context);
    sameEnvironment.addIndexers(Map.of(BY_ENVIRONMENT, PromotionReconciler::environmentKey));
    this.sameEnvironment = sameEnvironment;
    // Read only when deploying begins or a job is checked for abandonment: cached, no events.
    var targets = cacheOnly(Target.class).build();
    var agents = cacheOnly(Agent.class).build();
    var leases = cacheOnly(Lease.class).withLabelSelector(AgentLease.AGENT_LABEL).build();
    var ilmClasses = cacheOnly(IlmClass.class).build();
    return List.of(
        new InformerEventSource<>(approvals, context),
        new InformerEventSource<>(jobs, context),
        new InformerEventSource<>(decisions, context),
        sameEnvironment,
        new InformerEventSource<>(releases, context),
        new InformerEventSource<>(environments, context),
        new InformerEventSource<>(gatePolicies, context),
        new InformerEventSource<>(advisoryFeeds, context),
        new InformerEventSource<>(targets, context),
        new InformerEventSource<>(agents, context),
        new InformerEventSource<>(leases, context),
        new InformerEventSource<>(ilmClasses, context));
  }

  private static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> cacheOnly(
      Class<R> type) {
    return InformerEventSourceConfiguration.from(type, Promotion.class)
        .withSecondaryToPrimaryMapper(r -> Set.of());
  }

  private static List<String> environmentKey(Promotion p) {
    // every kind requires spec; one created before it did must not break the index
    return p.getSpec() == null
        ? List.of()
        : List.of(key(p.getMetadata().getNamespace(), p.getSpec().environment()));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private Set<ResourceID> waitingIn(HasMetadata changed) {
    return waiting(
        promotions
            .list(
                changed.getMetadata().getNamespace(),
                p -> p.getStatus() == null || !Phase.ended(p.getStatus().getPhase()))
            .toList());
  }

  /** Promotions not yet decided: what a changed input can still change. */
  private static Set<ResourceID> waiting(List<Promotion> candidates) {
    return candidates.stream()
        .filter(p ->
            p.getStatus() == null
                || (!Phase.ended(p.getStatus().getPhase())
                    && p.getStatus().getPhase() != Phase.Deploying))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean historyChanged(Environment now, Environment before) {
    var a = now.getStatus();
    var b = before.getStatus();
    return a == null || b == null
        ? a != b
        : !Objects.equals(a.getCurrent(), b.getCurrent())
            || !Objects.equals(a.getHistory(), b.getHistory());
  }

  @Override
  public UpdateControl<Promotion> reconcile(Promotion promotion, Context<Promotion> context) {
    Instant now = clock.instant();
    var observed = new CachedObservation(promotion, context);
    Step step = PromotionStateMachine.next(observed, now);
    DecisionRecord proposed = proposedDecision(step);
    if (proposed != null) {
      DecisionRecord stored = DecisionRecord.create(context.getClient(), promotion, proposed);
      if (!stored.sameDecision(proposed)) {
        // Another pass recorded a decision first (a restart racing its cache): act on that one.
        observed.recorded = stored;
        step = PromotionStateMachine.next(observed, now);
      }
    }
    for (Action action : step.actions()) {
      perform(action, promotion, context.getClient(), now);
    }
    for (Transition entered : step.entered()) {
      announce(promotion, step, entered);
    }
    if (!step.entered().isEmpty()) {
      // One Event per step, for the phase it ended in: status.transitions holds each one.
      Transition last = step.entered().getLast();
      boolean warning = last.phase() == Phase.Denied || last.phase() == Phase.Failed;
      KubernetesEvents.record(
          context.getClient(),
          promotion,
          warning ? "Warning" : "Normal",
          last.reason(),
          last.phase()
              + ": "
              + last.message()
              + (last.phase().ended() && step.status().getEvidence() != null
                  ? "; evidence packet " + step.status().getEvidence() + " signed"
                  : ""),
          now);
    }
    if (changed(promotion, step, context)) {
      // Status holds the promotion's history; patching through the framework's cache guarantees the
      // next reconcile starts from this status, never from a stale informer copy that would drop
      // it.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          promotion, StatusPatch.of(promotion, step.status(), Promotion::new), context);
    }
    UpdateControl<Promotion> control = UpdateControl.noUpdate();
    return step.recheck() == null ? control : control.rescheduleAfter(step.recheck());
  }

  private static DecisionRecord proposedDecision(Step step) {
    return step.actions().stream()
        .filter(RecordDecision.class::isInstance)
        .map(a -> ((RecordDecision) a).record())
        .findFirst()
        .orElse(null);
  }

  private static boolean changed(Promotion promotion, Step step, Context<Promotion> context) {
    var json = context.getClient().getKubernetesSerialization();
    return promotion.getStatus() == null
        || !json.convertValue(promotion.getStatus(), JsonNode.class)
            .equals(json.convertValue(step.status(), JsonNode.class));
  }

  private void perform(Action action, Promotion promotion, KubernetesClient client, Instant now) {
    String ns = promotion.getMetadata().getNamespace();
    switch (action) {
      case RecordDecision recorded -> {} // recorded before any other action
      case CreateJob create -> CreateOnce.createIfAbsent(client, create.job());
      case TimeOutJob timeout -> timeOut(client, ns, timeout, now);
      case RecordEvidence evidence -> recordEvidence(client, evidence);
      case StartRollback rollback -> {
        if (CreateOnce.createIfAbsent(client, rollback.rollback())) {
          KubernetesEvents.record(
              client,
              promotion,
              "Warning",
              "RollbackStarted",
              "rolling "
                  + promotion.getSpec().environment()
                  + " back to "
                  + rollback.rollback().getSpec().release(),
              now);
        }
      }
      case MarkApproval mark -> {
        StalledLog.onWrite(mark.approval(), mark.approval().getStatus(), mark.status());
        Approval patch = new Approval();
        patch.getMetadata().setName(mark.approval().getMetadata().getName());
        patch.getMetadata().setNamespace(ns);
        patch.setStatus(mark.status());
        client.resource(patch).subresource("status").patch(APPLY_STATUS, patch);
      }
    }
  }

  /** Marks the job TimedOut unless its agent finished it meanwhile (a finished job is final). */
  private static void timeOut(KubernetesClient client, String ns, TimeOutJob timeout, Instant now) {
    client
        .resources(DeploymentJob.class)
        .inNamespace(ns)
        .withName(timeout.job())
        .editStatus(j -> {
          var s = j.getStatus() == null ? new DeploymentJobStatus() : j.getStatus();
          if (s.getPhase() != null && s.getPhase().finished()) {
            return j;
          }
          s.setPhase(JobPhase.TIMED_OUT);
          s.setFinishedAt(Conditions.timestamp(now));
          s.setMessage(timeout.message());
          s.conditionsFollowPhase(j.getMetadata().getGeneration(), now);
          j.setStatus(s);
          return j;
        });
    LOG.info("DeploymentJob {}/{} timed out: {}", ns, timeout.job(), timeout.message());
  }

  private void recordEvidence(KubernetesClient client, RecordEvidence evidence) {
    EvidenceSigningKey key = signingKey.get();
    EvidencePacket packet =
        PromotionEvidence.build(
            evidence.predicate(), evidence.ilmClass(), key.privateKey(), key.keyId());
    // Not owned by the promotion: evidence outlives it, under its ILM class.
    if (CreateOnce.createIfAbsent(client, packet)) {
      ControllerMetrics.EVIDENCE_PACKETS.labelValues(packet.getSpec().decision()).inc();
    }
  }

  /**
   * An INFO line per phase entered, and the phase metrics. Denied and Failed stall the promotion,
   * and StalledLog says that as a warning when the status is written.
   */
  private static void announce(Promotion promotion, Step step, Transition entered) {
    Phase phase = entered.phase();
    LOG.info(
        "Promotion {}/{}: {} ({}): {}",
        promotion.getMetadata().getNamespace(),
        promotion.getMetadata().getName(),
        phase,
        entered.reason(),
        entered.message());
    if (phase.ended()) {
      ControllerMetrics.PROMOTIONS.labelValues(phase.name()).inc();
    }
    if (phase == Phase.Denied) {
      step.status().getGates().stream()
          .filter(g -> g.result().blocks())
          .forEach(g -> ControllerMetrics.GATE_DENIALS.labelValues(g.gate()).inc());
    }
  }

  /** What this promotion depends on, from the controller's informers. */
  private final class CachedObservation implements Observed {
    private final Promotion promotion;
    private final Context<Promotion> context;
    private final String ns;
    private DecisionRecord recorded;

    CachedObservation(Promotion promotion, Context<Promotion> context) {
      this.promotion = promotion;
      this.context = context;
      this.ns = promotion.getMetadata().getNamespace();
      this.recorded =
          context.getSecondaryResources(ConfigMap.class).stream()
              .filter(cm -> DecisionRecord.name(promotion).equals(cm.getMetadata().getName()))
              .findFirst()
              .map(DecisionRecord::parse)
              .orElse(null);
    }

    @Override
    public Promotion promotion() {
      return promotion;
    }

    @Override
    public DecisionRecord decisionRecord() {
      return recorded;
    }

    @Override
    public List<Approval> approvals() {
      return List.copyOf(context.getSecondaryResources(Approval.class));
    }

    @Override
    public Release release(String name) {
      return get(Release.class, name);
    }

    @Override
    public Environment environment(String name) {
      return get(Environment.class, name);
    }

    @Override
    public GatePolicy gatePolicy(String name) {
      return get(GatePolicy.class, name);
    }

    @Override
    public List<Promotion> promotionsInto(String environment) {
      return sameEnvironment.byIndex(BY_ENVIRONMENT, key(ns, environment));
    }

    @Override
    public List<Target> targetsOf(String environment) {
      return source(Target.class)
          .list(ns, t -> t.getSpec() != null && environment.equals(t.getSpec().environment()))
          .toList();
    }

    @Override
    public DeploymentJob job(String name) {
      return get(DeploymentJob.class, name);
    }

    @Override
    public Agent agent(String name) {
      return get(Agent.class, name);
    }

    @Override
    public Lease lease(String agent) {
      return get(Lease.class, AgentLease.name(agent));
    }

    @Override
    public AdvisoryFeeds.State advisoryFeeds() {
      return feeds.state(
          source(AdvisoryFeed.class).list().map(f -> f.getMetadata().getName()).toList());
    }

    @Override
    public String defaultIlmClass() {
      return source(IlmClass.class)
          .list(c -> Boolean.TRUE.equals(c.getSpec().isDefault()))
          .map(c -> c.getMetadata().getName())
          .sorted()
          .findFirst()
          .orElse(null);
    }

    private <R extends HasMetadata> R get(Class<R> type, String name) {
      return source(type).get(new ResourceID(name, ns)).orElse(null);
    }

    private <R extends HasMetadata> InformerEventSource<R, Promotion> source(Class<R> type) {
      return Informers.of(context, type);
    }
  }
}
