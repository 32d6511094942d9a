package io.stellaops.controllers.promotion;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stellaops.controllers.agent.AgentLiveness;
import io.stellaops.controllers.decision.Decision;
import io.stellaops.controllers.decision.PromotionDecider;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.evidence.PromotionEvidence;
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.status.Conditions;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.promotion.ApprovalSummary;
import io.stellaops.crds.promotion.JobRef;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionStatus;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Drives a Promotion through {@code Pending → Evaluating → AwaitingApproval → Deploying →
 * Succeeded}, or to {@code Denied} / {@code Failed}. A final decision is recorded once ({@link
 * DecisionRecord}) before it is acted on; one DeploymentJob is created per target; the signed
 * EvidencePacket is created once, when the promotion ends.
 */
@ControllerConfiguration
public class PromotionReconciler implements Reconciler<Promotion> {
  static final Set<Phase> TERMINAL =
      EnumSet.of(Phase.Succeeded, Phase.Denied, Phase.Failed, Phase.Superseded, Phase.RolledBack);
  // Waiting promotions also look again on this interval: approvals expire, freeze windows begin.
  private static final Duration RECHECK_WAITING = Duration.ofMinutes(1);
  private static final Duration RECHECK_MISSING = Duration.ofSeconds(30);
  private static final Duration RECHECK_DEPLOYING = Duration.ofSeconds(5);

  private final Clock clock;
  private final Supplier<EvidenceSigningKey> signingKey;

  public PromotionReconciler(Clock clock, Supplier<EvidenceSigningKey> signingKey) {
    this.clock = clock;
    this.signingKey = signingKey;
  }

  @Override
  public List<EventSource<?, Promotion>> prepareEventSources(
      EventSourceContext<Promotion> context) {
    var approvals =
        InformerEventSourceConfiguration.from(Approval.class, Promotion.class)
            .withSecondaryToPrimaryMapper(a ->
                Set.of(new ResourceID(a.getSpec().promotion(), a.getMetadata().getNamespace())))
            .build();
    var jobs =
        InformerEventSourceConfiguration.from(DeploymentJob.class, Promotion.class)
            .withSecondaryToPrimaryMapper(j ->
                Set.of(new ResourceID(j.getSpec().promotion(), j.getMetadata().getNamespace())))
            .build();
    // Promotions into the same environment wake each other: one ending releases the queue, a new
    // one supersedes those still waiting.
    var neighbours =
        InformerEventSourceConfiguration.from(Promotion.class, Promotion.class)
            .withName("same-environment-promotions")
            .withSecondaryToPrimaryMapper((Promotion changed) ->
                context
                    .getPrimaryCache()
                    .list(changed.getMetadata().getNamespace())
                    .filter(p -> p.getSpec().environment().equals(changed.getSpec().environment()))
                    .filter(p -> !p.getMetadata().getName().equals(changed.getMetadata().getName()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .build();
    // A release whose findings change (a new advisory snapshot or VEX document) gates its
    // promotions that have not started deploying again.
    var releases =
        InformerEventSourceConfiguration.from(Release.class, Promotion.class)
            .withSecondaryToPrimaryMapper((Release changed) ->
                context
                    .getPrimaryCache()
                    .list(changed.getMetadata().getNamespace())
                    .filter(p -> p.getSpec().release().equals(changed.getMetadata().getName()))
                    .filter(
                        p -> p.getStatus() == null || !TERMINAL.contains(p.getStatus().getPhase()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .build();
    return List.of(
        new InformerEventSource<>(approvals, context),
        new InformerEventSource<>(jobs, context),
        new InformerEventSource<>(neighbours, context),
        new InformerEventSource<>(releases, context));
  }

  @Override
  public UpdateControl<Promotion> reconcile(Promotion promotion, Context<Promotion> context) {
    var step = new PromotionStep(promotion, context.getClient(), clock.instant());
    Duration recheck = step.run(List.copyOf(context.getSecondaryResources(Approval.class)));
    // Status holds the promotion's history; patching through the framework's cache guarantees the
    // next reconcile starts from this status, never from a stale informer copy that would drop it.
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
        promotion, step.statusOnly(), context);
    UpdateControl<Promotion> control = UpdateControl.noUpdate();
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  /** One reconcile of one promotion: a straight chain of named steps over its status. */
  private final class PromotionStep {
    private final Promotion promotion;
    private final KubernetesClient client;
    private final Instant now;
    private final PromotionStatus status;
    private final long generation;

    PromotionStep(Promotion promotion, KubernetesClient client, Instant now) {
      this.promotion = promotion;
      this.client = client;
      this.now = now;
      this.status = promotion.getStatus() == null ? new PromotionStatus() : promotion.getStatus();
      this.generation = promotion.getMetadata().getGeneration();
    }

    /** Returns when to look again, or null when only an event should wake the promotion. */
    Duration run(List<Approval> approvals) {
      if (status.getPhase() == null) {
        transition(
            Phase.Pending,
            "Requested",
            "promotion of "
                + promotion.getSpec().release()
                + " to "
                + promotion.getSpec().environment()
                + " requested");
      }
      if (TERMINAL.contains(status.getPhase())) {
        return null;
      }
      DecisionRecord record = DecisionRecord.find(client, promotion);
      if (record == null) {
        EnvironmentQueue.Verdict turn = turn();
        if (turn instanceof EnvironmentQueue.Superseded superseded) {
          supersede(superseded);
          return null;
        }
        var gathered = PromotionInputs.gather(client, promotion, approvals, now);
        if (gathered.missing() != null) {
          Conditions.stalled(status, generation, "InputMissing", gathered.missing(), now);
          return RECHECK_MISSING;
        }
        Decision decision = PromotionDecider.decide(gathered.input());
        show(decision);
        if (turn instanceof EnvironmentQueue.Wait wait
            && !Decision.DENY.equals(decision.result())) {
          // A denial is final at once; what may go ahead waits its turn.
          String message =
              "queued behind promotion "
                  + wait.behind()
                  + " into "
                  + promotion.getSpec().environment();
          Conditions.reconciling(status, generation, "Queued", message, now);
          return RECHECK_WAITING;
        }
        if (status.getPhase() == Phase.Pending) {
          transition(Phase.Evaluating, "Evaluating", "evaluating gates");
        }
        if (Decision.PENDING.equals(decision.result())) {
          transition(Phase.AwaitingApproval, "AwaitingApproval", pendingMessage(decision));
          Conditions.reconciling(
              status, generation, "AwaitingApproval", pendingMessage(decision), now);
          return RECHECK_WAITING;
        }
        record =
            DecisionRecord.create(
                client,
                promotion,
                new DecisionRecord(gathered.input(), decision, Conditions.timestamp(now)));
      }
      show(record.decision());
      status.setDecision(
          new io.stellaops.crds.promotion.Decision(
              record.decision().result(),
              record.decision().reasons(),
              record.decision().inputsHash(),
              record.decidedAt()));
      if (Decision.PENDING.equals(record.decision().result())) {
        // Only a superseded promotion records a decision that was still pending; the record, not a
        // possibly stale status, says how it ended.
        finish(record, Phase.Superseded, "Superseded", record.note(), null);
        return null;
      }
      if (Decision.DENY.equals(record.decision().result())) {
        record.decision().gates().stream()
            .filter(g -> "Fail".equals(g.result()) || "Error".equals(g.result()))
            .forEach(g -> ControllerMetrics.GATE_DENIALS.labelValues(g.gate()).inc());
        finish(
            record, Phase.Denied, "Denied", String.join("; ", record.decision().reasons()), null);
        return null;
      }
      return deploy(record);
    }

    /** Whether this promotion may go ahead, must wait, or was superseded (Environment policy). */
    private EnvironmentQueue.Verdict turn() {
      String ns = promotion.getMetadata().getNamespace();
      var env =
          client
              .resources(Environment.class)
              .inNamespace(ns)
              .withName(promotion.getSpec().environment())
              .get();
      if (env == null) {
        // gathering the inputs reports the missing environment
        return new EnvironmentQueue.Proceed();
      }
      var policy =
          env.getSpec().concurrencyPolicy() == null
              ? EnvironmentSpec.ConcurrencyPolicy.QUEUE
              : env.getSpec().concurrencyPolicy();
      List<Promotion> sameEnvironment =
          client.resources(Promotion.class).inNamespace(ns).list().getItems().stream()
              .filter(p -> promotion.getSpec().environment().equals(p.getSpec().environment()))
              .toList();
      return EnvironmentQueue.judge(promotion, sameEnvironment, policy);
    }

    private void supersede(EnvironmentQueue.Superseded superseded) {
      String message =
          "superseded by the newer promotion "
              + superseded.by()
              + " into "
              + promotion.getSpec().environment();
      var gathered = PromotionInputs.gather(client, promotion, List.of(), now);
      if (gathered.missing() != null) {
        transition(Phase.Superseded, "Superseded", message);
        Conditions.stalled(status, generation, "Superseded", message, now);
        return;
      }
      var decision = PromotionDecider.decide(gathered.input());
      var record =
          DecisionRecord.create(
              client,
              promotion,
              new DecisionRecord(gathered.input(), decision, Conditions.timestamp(now), message));
      finish(record, Phase.Superseded, "Superseded", record.note(), null);
    }

    private Duration deploy(DecisionRecord record) {
      var plan = DeploymentPlan.of(client, promotion, record.inputs());
      if (plan.problem() != null) {
        finish(record, Phase.Failed, "NoTargets", plan.problem(), List.of());
        return null;
      }
      if (status.getPhase() != Phase.Deploying) {
        transition(
            Phase.Deploying,
            "Allowed",
            "all gates passed; deploying to " + plan.jobs().size() + " target(s)");
      }
      List<DeploymentJob> jobs =
          plan.jobs().stream().map(this::ensureJob).map(this::timeOutIfAbandoned).toList();
      List<JobRef> refs = jobs.stream().map(PromotionReconciler::jobRef).toList();
      status.setJobs(refs);
      List<String> failed =
          jobs.stream()
              .filter(j -> phaseOf(j) != null && phaseOf(j).unsuccessful())
              .map(j -> j.getSpec().target() + ": " + messageOf(j))
              .toList();
      boolean allSucceeded = jobs.stream().allMatch(j -> phaseOf(j) == JobPhase.SUCCEEDED);
      if (!failed.isEmpty()
          && jobs.stream()
              .noneMatch(j ->
                  phaseOf(j) == JobPhase.RUNNING
                      || phaseOf(j) == JobPhase.PENDING
                      || phaseOf(j) == null)) {
        finish(record, Phase.Failed, "DeploymentFailed", String.join("; ", failed), refs);
        AutoRollback.startIfWanted(client, promotion, String.join("; ", failed), now);
      } else if (allSucceeded) {
        EnvironmentHistory.recordSuccess(client, promotion, record.inputs(), now);
        finish(
            record,
            Phase.Succeeded,
            "Succeeded",
            "deployed to " + jobs.size() + " target(s)",
            refs);
      } else {
        Conditions.reconciling(
            status,
            generation,
            "Deploying",
            "waiting for " + jobs.size() + " DeploymentJob(s)",
            now);
        // agents report through job events; this only catches agents that stopped reporting
        return RECHECK_DEPLOYING;
      }
      return null;
    }

    /**
     * Times a job out when it ran past its timeout, or when its agent stopped renewing its Lease
     * (or never connected) for longer than the agent's heartbeatTimeout since the job was made.
     */
    private DeploymentJob timeOutIfAbandoned(DeploymentJob job) {
      JobPhase phase = phaseOf(job);
      if (phase != null && phase.finished()) {
        return job;
      }
      String ns = job.getMetadata().getNamespace();
      Instant created = Instant.parse(job.getMetadata().getCreationTimestamp());
      Duration timeout =
          GoDuration.parse(
              Objects.requireNonNullElse(
                  job.getSpec().timeout(), DeploymentJobSpec.DEFAULT_TIMEOUT));
      String message = null;
      if (now.isAfter(created.plus(timeout))) {
        message = "ran longer than its timeout " + job.getSpec().timeout();
      } else {
        Agent agent =
            client.resources(Agent.class).inNamespace(ns).withName(job.getSpec().agent()).get();
        var liveness =
            AgentLiveness.of(
                job.getSpec().agent(),
                agent,
                AgentLiveness.leaseOf(client, ns, job.getSpec().agent()),
                now);
        Duration grace =
            agent == null
                ? GoDuration.parse(AgentSpec.DEFAULT_HEARTBEAT_TIMEOUT)
                : AgentLiveness.heartbeatTimeout(agent);
        if (!liveness.alive() && now.isAfter(created.plus(grace))) {
          message = liveness.message();
        }
      }
      if (message == null) {
        return job;
      }
      String reason =
          message
              + (phase == JobPhase.RUNNING
                  ? "; the job may be half done: check the target, then roll back or promote again"
                  : "; nothing was deployed");
      return client
          .resources(DeploymentJob.class)
          .inNamespace(ns)
          .withName(job.getMetadata().getName())
          .editStatus(j -> {
            var s = j.getStatus() == null ? new DeploymentJobStatus() : j.getStatus();
            if (s.getPhase() == JobPhase.SUCCEEDED || s.getPhase() == JobPhase.FAILED) {
              return j;
            }
            s.setPhase(JobPhase.TIMED_OUT);
            s.setFinishedAt(Conditions.timestamp(now));
            s.setMessage(reason);
            j.setStatus(s);
            return j;
          });
    }

    private DeploymentJob ensureJob(DeploymentJob desired) {
      DeploymentJob existing =
          client
              .resources(DeploymentJob.class)
              .inNamespace(desired.getMetadata().getNamespace())
              .withName(desired.getMetadata().getName())
              .get();
      return existing != null ? existing : CreateOnce.createOrGet(client, desired);
    }

    private void finish(
        DecisionRecord record, Phase phase, String reason, String message, List<JobRef> jobs) {
      EvidencePacket packet = ensureEvidence(record, phase, jobs);
      status.setEvidence(packet.getMetadata().getName());
      transition(phase, reason, message);
      if (phase == Phase.Succeeded) {
        Conditions.ready(status, generation, reason, message, now);
      } else {
        Conditions.stalled(status, generation, reason, message, now);
      }
    }

    private EvidencePacket ensureEvidence(DecisionRecord record, Phase outcome, List<JobRef> jobs) {
      var resource =
          client
              .resources(EvidencePacket.class)
              .inNamespace(promotion.getMetadata().getNamespace())
              .withName(promotion.getMetadata().getName());
      EvidencePacket existing = resource.get();
      if (existing != null) {
        return existing;
      }
      var timestamps =
          new PromotionEvidence.Timestamps(
              promotion.getMetadata().getCreationTimestamp(),
              record.decidedAt(),
              jobs == null || jobs.isEmpty() ? null : record.decidedAt(),
              jobs == null || jobs.isEmpty() ? null : Conditions.timestamp(now));
      var predicate =
          new PromotionEvidence.Predicate(
              promotion.getMetadata().getNamespace(),
              promotion.getMetadata().getName(),
              record.inputs(),
              record.decision(),
              timestamps,
              jobs,
              outcome.name());
      String ilm = ilmClassOf(record);
      EvidencePacket packet = PromotionEvidence.build(predicate, ilm, signingKey.get());
      // Not owned by the promotion: evidence outlives it, under its ILM class.
      if (CreateOnce.createIfAbsent(client, packet)) {
        ControllerMetrics.EVIDENCE_PACKETS.labelValues(packet.getSpec().decision()).inc();
        KubernetesEvents.record(
            client,
            promotion,
            "Normal",
            "EvidenceRecorded",
            "evidence packet " + packet.getMetadata().getName() + " signed",
            now);
      }
      return resource.get();
    }

    /**
     * The class the Environment names, else the class marked default, else {@code default}, which
     * the lifecycle reads as whichever class is marked default later.
     */
    private String ilmClassOf(DecisionRecord record) {
      String env = record.inputs().environment().spec().ilmClass();
      if (env != null) {
        return env;
      }
      try {
        return client.resources(IlmClass.class).list().getItems().stream()
            .filter(c -> Boolean.TRUE.equals(c.getSpec().isDefault()))
            .map(c -> c.getMetadata().getName())
            .sorted()
            .findFirst()
            .orElse("default");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        return "default"; // no IlmClass CRD installed: evidence waits for a default class
      }
    }

    private void show(Decision decision) {
      status.setGates(decision.gates());
      var a = decision.approvals();
      status.setApprovals(
          new ApprovalSummary(a.required(), a.approvedBy(), a.rejectedBy(), a.notCounted()));
    }

    private void transition(Phase phase, String reason, String message) {
      if (phase == status.getPhase()) {
        return;
      }
      List<Transition> transitions = new ArrayList<>(status.getTransitions());
      transitions.add(new Transition(phase, Conditions.timestamp(now), reason, message));
      status.setTransitions(transitions);
      status.setPhase(phase);
      boolean warning = phase == Phase.Denied || phase == Phase.Failed;
      KubernetesEvents.record(
          client, promotion, warning ? "Warning" : "Normal", reason, phase + ": " + message, now);
      if (!TERMINAL.contains(phase)) {
        Conditions.reconciling(status, generation, reason, message, now);
      } else {
        ControllerMetrics.PROMOTIONS.labelValues(phase.name()).inc();
      }
    }

    Promotion statusOnly() {
      status.setObservedGeneration(generation);
      return StatusPatch.of(promotion, status, Promotion::new);
    }
  }

  private static String pendingMessage(Decision decision) {
    return decision.gates().stream()
        .filter(g -> "Pending".equals(g.result()))
        .map(g -> g.gate() + ": " + g.message())
        .findFirst()
        .orElse("waiting");
  }

  private static JobPhase phaseOf(DeploymentJob job) {
    return job.getStatus() == null ? null : job.getStatus().getPhase();
  }

  private static String messageOf(DeploymentJob job) {
    return job.getStatus() == null || job.getStatus().getMessage() == null
        ? "no reason given"
        : job.getStatus().getMessage();
  }

  private static JobRef jobRef(DeploymentJob job) {
    JobPhase phase = phaseOf(job);
    return new JobRef(
        job.getSpec().target(),
        job.getMetadata().getName(),
        phase == null
            ? "Pending"
            : io.stellaops.supplychain.json.CanonicalJson.MAPPER.convertValue(phase, String.class),
        job.getStatus() == null ? null : job.getStatus().getMessage(),
        job.getStatus() == null
                || job.getStatus().getArtifacts() == null
                || job.getStatus().getArtifacts().isEmpty()
            ? null
            : job.getStatus().getArtifacts().stream().limit(16).toList());
  }
}
