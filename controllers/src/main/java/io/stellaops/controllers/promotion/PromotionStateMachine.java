package io.stellaops.controllers.promotion;

import io.stellaops.controllers.agent.AgentLiveness;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.approval.ApprovalStatus;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.promotion.ApprovalSummary;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.promotion.JobRef;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionStatus;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.decision.Decision;
import io.stellaops.decision.DecisionInput;
import io.stellaops.decision.PromotionDecider;
import io.stellaops.decision.evidence.PromotionEvidence;
import io.stellaops.decision.gates.ApprovalCount;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The life of a Promotion as one pure function of what the controller observed and the time:
 *
 * <pre>
 * Pending → Evaluating → AwaitingApproval → Deploying → Succeeded
 *        ↘ (queued)     ↘ Denied / Superseded        ↘ Failed → RolledBack
 * </pre>
 *
 * {@link #next} returns the status to write and the actions to take first. The controller performs
 * the actions (each idempotent: objects with derived names are created once), then writes the
 * status once, and only when it changed. A decision is recorded ({@link RecordDecision}) before
 * anything acts on it; jobs are created, timed out and reported through their own objects, so a
 * step never assumes what an agent will do. {@code Failed} becomes {@code RolledBack} once a
 * promotion that rolls this one back ({@link AutoRollback#ROLLBACK_OF}) succeeded.
 */
final class PromotionStateMachine {
  // Waiting promotions also look again on this interval: approvals expire, freeze windows begin.
  static final Duration RECHECK_WAITING = Duration.ofMinutes(1);
  static final Duration RECHECK_MISSING = Duration.ofSeconds(30);
  // Release and AdvisoryFeed events wake it sooner; this covers a load that changes no status
  static final Duration RECHECK_UNSETTLED = Duration.ofSeconds(5);
  // Agents report through job events; this only catches agents that stopped reporting.
  static final Duration RECHECK_DEPLOYING = Duration.ofSeconds(5);

  private PromotionStateMachine() {}

  /** Something to do before the step's status is written. */
  sealed interface Action {}

  /** Write the decision record; every later step acts on the recorded decision only. */
  record RecordDecision(DecisionRecord record) implements Action {}

  record CreateJob(DeploymentJob job) implements Action {}

  /** Mark an unfinished job TimedOut with {@code message}, unless its agent finished it first. */
  record TimeOutJob(String job, String message) implements Action {}

  /** Sign and create the promotion's EvidencePacket, once. */
  record RecordEvidence(PromotionEvidence.Predicate predicate, String ilmClass) implements Action {}

  /** Create the promotion that rolls the environment back. */
  record StartRollback(Promotion rollback) implements Action {}

  /** Write whether an Approval counts ({@code status.counted}); this controller owns that. */
  record MarkApproval(Approval approval, ApprovalStatus status) implements Action {}

  /**
   * The promotion's next status, the phases it entered on the way, what to do before the status is
   * written, and when to look again (null: only when something it watches changes).
   */
  record Step(
      PromotionStatus status, List<Transition> entered, List<Action> actions, Duration recheck) {}

  static Step next(Observed observed, Instant now) {
    return new Run(observed, now).step();
  }

  /** One step of one promotion, over a copy of its status. */
  private static final class Run {
    private final Observed observed;
    private final Promotion promotion;
    private final Instant now;
    private final PromotionStatus status;
    private final long generation;
    private final List<Transition> entered = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();

    Run(Observed observed, Instant now) {
      this.observed = observed;
      this.promotion = observed.promotion();
      this.now = now;
      this.status =
          promotion.getStatus() == null
              ? new PromotionStatus()
              : CanonicalJson.MAPPER.convertValue(promotion.getStatus(), PromotionStatus.class);
      this.generation = promotion.getMetadata().getGeneration();
    }

    Step step() {
      Duration recheck = advance();
      status.setObservedGeneration(generation);
      return new Step(status, List.copyOf(entered), List.copyOf(actions), recheck);
    }

    private Duration advance() {
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
      if (status.getPhase() == Phase.Failed) {
        rolledBackIfRestored();
        return null;
      }
      if (Phase.ended(status.getPhase())) {
        return null;
      }
      DecisionRecord record = observed.decisionRecord();
      return record == null ? undecided() : decided(record);
    }

    /**
     * When the approval stops counting, if it expires and that can be told (judge says why not).
     */
    private static String expiresAt(EnvironmentSpec env, DecisionInput.ApprovalInput a) {
      try {
        Instant expires = ApprovalCount.expiresAt(env.approvals(), a);
        return expires == null ? null : Conditions.timestamp(expires);
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        return null;
      }
    }

    private Duration undecided() {
      EnvironmentQueue.Verdict turn = turn();
      if (turn instanceof EnvironmentQueue.Superseded superseded) {
        supersede(superseded);
        return null;
      }
      var gathered = PromotionInputs.gather(observed, now);
      if (gathered.missing() != null) {
        Conditions.stalled(status, generation, "InputMissing", gathered.missing(), now);
        return RECHECK_MISSING;
      }
      if (gathered.unsettled() != null) {
        // never Deny or Allow on inputs still being loaded or verified (after a restart, too)
        Conditions.reconciling(status, generation, "InputsUnsettled", gathered.unsettled(), now);
        return RECHECK_UNSETTLED;
      }
      Decision decision = PromotionDecider.decide(gathered.input());
      show(decision);
      markApprovals(gathered.input());
      if (turn instanceof EnvironmentQueue.Wait && !Decision.DENY.equals(decision.result())) {
        // A denial is final at once; what may go ahead waits its turn. The one going first is
        // named by the Environment's status.activePromotion, not here: a queue that moves then
        // rewrites no waiting promotion.
        String message =
            "queued: another promotion into "
                + promotion.getSpec().environment()
                + " goes first (its Environment's status.activePromotion names it)";
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
      var record = new DecisionRecord(gathered.input(), decision, Conditions.timestamp(now));
      actions.add(new RecordDecision(record));
      return decided(record);
    }

    private Duration decided(DecisionRecord record) {
      show(record.decision());
      status.setDecision(
          new io.stellaops.crds.promotion.Decision(
              record.decision().result(),
              record.decision().reasons(),
              record.decision().inputsHash(),
              record.decidedAt()));
      status.setReleaseVersion(record.inputs().release().version());
      if (Decision.PENDING.equals(record.decision().result())) {
        // Only a superseded promotion records a decision that was still pending; the record, not a
        // possibly stale status, says how it ended.
        finish(record, Phase.Superseded, "Superseded", record.note(), null);
        return null;
      }
      if (Decision.DENY.equals(record.decision().result())) {
        finish(
            record, Phase.Denied, "Denied", String.join("; ", record.decision().reasons()), null);
        return null;
      }
      return deploy(record);
    }

    /** Whether this promotion may go ahead, must wait, or was superseded (Environment policy). */
    private EnvironmentQueue.Verdict turn() {
      Environment env = observed.environment(promotion.getSpec().environment());
      if (env == null) {
        // gathering the inputs reports the missing environment
        return new EnvironmentQueue.Proceed();
      }
      var policy =
          Objects.requireNonNullElse(
              env.getSpec().concurrencyPolicy(), EnvironmentSpec.ConcurrencyPolicy.QUEUE);
      return EnvironmentQueue.judge(
          promotion, observed.promotionsInto(promotion.getSpec().environment()), policy);
    }

    private void supersede(EnvironmentQueue.Superseded superseded) {
      String message =
          "superseded by the newer promotion "
              + superseded.by()
              + " into "
              + promotion.getSpec().environment();
      var gathered = PromotionInputs.gather(observed, now);
      if (gathered.missing() != null) {
        transition(Phase.Superseded, "Superseded", message);
        Conditions.stalled(status, generation, "Superseded", message, now);
        return;
      }
      // Recorded without approvals: a superseded promotion is decided as still pending, never
      // allowed, so nothing can act on its record.
      DecisionInput in = gathered.input();
      DecisionInput withoutApprovals =
          new DecisionInput(
              in.promotion(),
              in.release(),
              in.environment(),
              List.of(),
              in.gatePolicies(),
              in.now());
      var record =
          new DecisionRecord(
              withoutApprovals,
              PromotionDecider.decide(withoutApprovals),
              Conditions.timestamp(now),
              message);
      actions.add(new RecordDecision(record));
      show(record.decision());
      finish(record, Phase.Superseded, "Superseded", message, null);
    }

    private Duration deploy(DecisionRecord record) {
      var plan = DeploymentPlan.of(observed, record.inputs());
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
      List<DeploymentJob> jobs = new ArrayList<>();
      for (DeploymentJob desired : plan.jobs()) {
        DeploymentJob existing = observed.job(desired.getMetadata().getName());
        if (existing == null) {
          actions.add(new CreateJob(desired));
          jobs.add(desired);
        } else {
          timeOutIfAbandoned(existing);
          jobs.add(existing);
        }
      }
      List<JobRef> refs = jobs.stream().map(Run::jobRef).toList();
      status.setJobs(refs);
      List<String> failed =
          jobs.stream()
              .filter(j -> phaseOf(j) != null && phaseOf(j).unsuccessful())
              .map(j -> j.getSpec().target() + ": " + messageOf(j))
              .toList();
      boolean unfinished =
          jobs.stream().anyMatch(j -> phaseOf(j) == null || !phaseOf(j).finished());
      if (!failed.isEmpty() && !unfinished) {
        String why = String.join("; ", failed);
        finish(record, Phase.Failed, "DeploymentFailed", why, refs);
        var rollback = AutoRollback.of(promotion, observed.environment(environment()), why);
        if (rollback != null) {
          actions.add(new StartRollback(rollback));
        }
        return null;
      }
      if (jobs.stream().allMatch(j -> phaseOf(j) == JobPhase.SUCCEEDED)) {
        finish(
            record,
            Phase.Succeeded,
            "Succeeded",
            "deployed to " + jobs.size() + " target(s)",
            refs);
        return null;
      }
      Conditions.reconciling(
          status, generation, "Deploying", "waiting for " + jobs.size() + " DeploymentJob(s)", now);
      return RECHECK_DEPLOYING;
    }

    /**
     * Times a job out when it ran past its timeout, or when its agent stopped renewing its Lease
     * (or never connected) for longer than the agent's heartbeatTimeout since the job was made. The
     * job's TimedOut phase reaches this promotion as a job event, like an agent's report.
     */
    private void timeOutIfAbandoned(DeploymentJob job) {
      JobPhase phase = phaseOf(job);
      if (phase != null && phase.finished()) {
        return;
      }
      Instant created = Instant.parse(job.getMetadata().getCreationTimestamp());
      Duration timeout =
          GoDuration.parse(
              Objects.requireNonNullElse(
                  job.getSpec().timeout(), DeploymentJobSpec.DEFAULT_TIMEOUT));
      String message = null;
      if (now.isAfter(created.plus(timeout))) {
        message = "ran longer than its timeout " + job.getSpec().timeout();
      } else {
        String name = job.getSpec().agent();
        Agent agent = observed.agent(name);
        var liveness = AgentLiveness.of(name, agent, observed.lease(name), now);
        Duration grace =
            agent == null
                ? GoDuration.parse(AgentSpec.DEFAULT_HEARTBEAT_TIMEOUT)
                : AgentLiveness.heartbeatTimeout(agent);
        if (!liveness.alive() && now.isAfter(created.plus(grace))) {
          message = liveness.message();
        }
      }
      if (message != null) {
        actions.add(
            new TimeOutJob(
                job.getMetadata().getName(),
                message
                    + (phase == JobPhase.RUNNING
                        ? "; the job may be half done: check the target, then roll back or promote"
                            + " again"
                        : "; nothing was deployed")));
      }
    }

    /** Failed becomes RolledBack once a promotion rolling this one back has succeeded. */
    private void rolledBackIfRestored() {
      String self = promotion.getMetadata().getName();
      observed.promotionsInto(environment()).stream()
          .filter(p -> p.getMetadata().getAnnotations() != null)
          .filter(p -> self.equals(p.getMetadata().getAnnotations().get(AutoRollback.ROLLBACK_OF)))
          .filter(p -> p.getStatus() != null && p.getStatus().getPhase() == Phase.Succeeded)
          .findFirst()
          .ifPresent(rollback -> {
            String message =
                environment()
                    + " was rolled back to "
                    + rollback.getSpec().release()
                    + " by promotion "
                    + rollback.getMetadata().getName();
            transition(Phase.RolledBack, "RolledBack", message);
            Conditions.stalled(status, generation, "RolledBack", message, now);
          });
    }

    private void finish(
        DecisionRecord record, Phase phase, String reason, String message, List<JobRef> jobs) {
      actions.add(new RecordEvidence(predicate(record, phase, jobs), ilmClassOf(record)));
      status.setEvidence(promotion.getMetadata().getName());
      transition(phase, reason, message);
      if (phase == Phase.Succeeded) {
        Conditions.ready(status, generation, reason, message, now);
      } else {
        Conditions.stalled(status, generation, reason, message, now);
      }
    }

    private PromotionEvidence.Predicate predicate(
        DecisionRecord record, Phase outcome, List<JobRef> jobs) {
      boolean deployed = jobs != null && !jobs.isEmpty();
      var timestamps =
          new PromotionEvidence.Timestamps(
              promotion.getMetadata().getCreationTimestamp(),
              record.decidedAt(),
              deployed ? record.decidedAt() : null,
              deployed ? Conditions.timestamp(now) : null);
      return new PromotionEvidence.Predicate(
          promotion.getMetadata().getNamespace(),
          promotion.getMetadata().getName(),
          record.inputs(),
          record.decision(),
          timestamps,
          jobs,
          outcome.name());
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
      return Objects.requireNonNullElse(observed.defaultIlmClass(), "default");
    }

    /**
     * Whether each Approval counts: under the environment's approval policy, or under its
     * break-glass policy when the promotion asks to break a freeze.
     */
    private void markApprovals(DecisionInput in) {
      var env = in.environment().spec();
      var subject = PromotionDecider.subjectOf(in);
      var requester = in.promotion().requestedBy();
      Instant at = Instant.parse(in.now());
      for (Approval approval : observed.approvals()) {
        var counted =
            in.approvals().stream()
                .filter(i -> i.name().equals(approval.getMetadata().getName()))
                .findFirst();
        if (counted.isEmpty()) {
          continue; // not one of this promotion's (the cache may hold it for another name)
        }
        var a = counted.get();
        var exclusion = ApprovalCount.judge(env.approvals(), a, subject, requester, at);
        if (exclusion != null && in.promotion().breakGlass() != null && env.breakGlass() != null) {
          if (ApprovalCount.judge(env.breakGlass().approvals(), a, subject, requester, at)
              == null) {
            exclusion = null;
          }
        }
        ApprovalStatus desired = new ApprovalStatus();
        desired.setCounted(exclusion == null);
        desired.setExpiresAt(expiresAt(env, a));
        if (exclusion == null) {
          Conditions.ready(
              desired,
              approval.getMetadata().getGeneration(),
              "Counted",
              "counts towards promotion " + promotion.getMetadata().getName(),
              now);
        } else {
          desired.setReason(exclusion.reason().name());
          Conditions.stalled(
              desired,
              approval.getMetadata().getGeneration(),
              exclusion.reason().name(),
              exclusion.message(),
              now);
        }
        if (!sameCount(approval.getStatus(), desired)) {
          actions.add(new MarkApproval(approval, desired));
        }
      }
    }

    private static boolean sameCount(ApprovalStatus current, ApprovalStatus desired) {
      return current != null
          && Objects.equals(current.getCounted(), desired.getCounted())
          && Objects.equals(current.getReason(), desired.getReason())
          && Objects.equals(current.getExpiresAt(), desired.getExpiresAt())
          && Objects.equals(current.getObservedGeneration(), desired.getObservedGeneration());
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
      var transition = new Transition(phase, Conditions.timestamp(now), reason, message);
      List<Transition> transitions = new ArrayList<>(status.getTransitions());
      transitions.add(transition);
      status.setTransitions(transitions);
      status.setPhase(phase);
      entered.add(transition);
      if (!phase.ended()) {
        Conditions.reconciling(status, generation, reason, message, now);
      }
    }

    private String environment() {
      return promotion.getSpec().environment();
    }

    private static String pendingMessage(Decision decision) {
      return decision.gates().stream()
          .filter(g -> g.result() == GateResult.Outcome.Pending)
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
          phase == null ? "Pending" : CanonicalJson.MAPPER.convertValue(phase, String.class),
          job.getStatus() == null ? null : job.getStatus().getMessage(),
          job.getStatus() == null
                  || job.getStatus().getArtifacts() == null
                  || job.getStatus().getArtifacts().isEmpty()
              ? null
              : job.getStatus().getArtifacts().stream().limit(16).toList());
    }
  }
}
