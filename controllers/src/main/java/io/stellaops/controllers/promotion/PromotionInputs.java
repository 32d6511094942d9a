package io.stellaops.controllers.promotion;

import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.ComponentStatus;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseAnnotations;
import io.stellaops.decision.DecisionInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads from what the controller observed everything a promotion's decision depends on. */
final class PromotionInputs {
  private PromotionInputs() {}

  /**
   * The inputs, or what is missing (the user must create it), or why they are not settled yet (a
   * controller of this process is still at work on them: decided now, the verdict could be wrong).
   */
  record Gathered(
      DecisionInput input,
      Release release,
      Environment environment,
      String missing,
      String unsettled) {}

  static Gathered gather(Observed observed, Instant now) {
    Promotion promotion = observed.promotion();
    List<Approval> approvals = observed.approvals();
    String ns = promotion.getMetadata().getNamespace();
    var spec = promotion.getSpec();
    Release release = observed.release(spec.release());
    if (release == null) {
      return new Gathered(
          null,
          null,
          null,
          "Release " + spec.release() + " does not exist in namespace " + ns,
          null);
    }
    Environment env = observed.environment(spec.environment());
    if (env == null) {
      return new Gathered(
          null,
          release,
          null,
          "Environment " + spec.environment() + " does not exist in namespace " + ns,
          null);
    }
    var input =
        new DecisionInput(
            new DecisionInput.PromotionInput(
                promotion.getMetadata().getName(),
                ns,
                spec.requestedBy(),
                spec.reason(),
                spec.breakGlass(),
                promotion.getMetadata().getCreationTimestamp()),
            releaseInput(release),
            new DecisionInput.EnvironmentInput(
                env.getMetadata().getName(),
                env.getSpec(),
                upstreamSuccesses(observed, env, release)),
            approvals.stream()
                .filter(a -> promotion.getMetadata().getName().equals(a.getSpec().promotion()))
                .map(a ->
                    new DecisionInput.ApprovalInput(
                        a.getMetadata().getName(),
                        a.getSpec().approver(),
                        a.getSpec().decision() == null
                            ? null
                            : a.getSpec().decision().name().toLowerCase(),
                        a.getSpec().subject(),
                        a.getMetadata().getCreationTimestamp(),
                        a.getSpec().comment()))
                .sorted(Comparator.comparing(DecisionInput.ApprovalInput::name))
                .toList(),
            policies(observed, env),
            Conditions.timestamp(now));
    return new Gathered(input, release, env, null, unsettled(observed, release, env));
  }

  /**
   * Why a decision now could rest on inputs a controller of this process has not finished: the
   * release not yet verified or a gate policy not yet compiled at its generation, or (when the
   * environment's gates read findings) an AdvisoryFeed without a loaded snapshot, or findings
   * matched against other snapshots than the loaded ones. Null when settled.
   */
  private static String unsettled(Observed observed, Release release, Environment env) {
    String name = release.getMetadata().getName();
    var status = release.getStatus();
    Long generation = release.getMetadata().getGeneration();
    if (status == null || !Objects.equals(status.getObservedGeneration(), generation)) {
      return "Release "
          + name
          + " is not verified yet (the release controller has not observed generation "
          + generation
          + ")";
    }
    List<GatePolicy> policies =
        policyNames(env).stream().map(observed::gatePolicy).filter(Objects::nonNull).toList();
    for (GatePolicy p : policies) {
      if (p.getStatus() == null
          || !Objects.equals(
              p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())) {
        return "GatePolicy "
            + p.getMetadata().getName()
            + " is not compiled yet (its controller has not observed generation "
            + p.getMetadata().getGeneration()
            + ")";
      }
    }
    boolean withSbom =
        status.getComponents() != null
            && status.getComponents().stream().anyMatch(c -> c.sbomDigest() != null);
    if (!withSbom || policies.stream().noneMatch(PromotionInputs::readsFindings)) {
      return null;
    }
    var feeds = observed.advisoryFeeds();
    if (!feeds.missing().isEmpty()) {
      return "waiting for AdvisoryFeed snapshots: "
          + feeds.describeMissing()
          + "; findings matched without them would miss their advisories";
    }
    String loaded = feeds.label().isEmpty() ? null : feeds.label();
    if (!Objects.equals(loaded, status.getMatchedFeeds())) {
      return "the findings of Release "
          + name
          + " were matched against "
          + Objects.requireNonNullElse(status.getMatchedFeeds(), "no snapshot")
          + ", the operator has loaded "
          + Objects.requireNonNullElse(loaded, "none")
          + "; waiting for the release controller to match them again";
    }
    return null;
  }

  /** Whether a gate policy reads findings: a vulnerability gate or CEL rules. */
  private static boolean readsFindings(GatePolicy p) {
    return (p.getSpec().rules() != null && !p.getSpec().rules().isEmpty())
        || (p.getSpec().builtins() != null && p.getSpec().builtins().vulnerabilities() != null);
  }

  private static List<String> policyNames(Environment env) {
    return env.getSpec().gatePolicies() == null ? List.of() : env.getSpec().gatePolicies();
  }

  private static DecisionInput.ReleaseInput releaseInput(Release release) {
    Map<String, ComponentStatus> verified =
        release.getStatus() == null
            ? Map.of()
            : release.getStatus().getComponents().stream()
                .collect(Collectors.toMap(ComponentStatus::name, Function.identity(), (a, b) -> a));
    var components =
        release.getSpec().components().stream()
            .map(c -> {
              ComponentStatus s = verified.get(c.name());
              return new DecisionInput.ComponentInput(
                  c.name(),
                  c.image(),
                  c.digest(),
                  c.tag(),
                  s == null ? "Pending" : s.signature(),
                  s == null ? null : s.verifiedBy(),
                  s == null ? null : s.sbomDigest(),
                  s == null ? null : s.findings(),
                  s == null ? null : s.provenance());
            })
            .toList();
    String quarantine = quarantineOf(release);
    return new DecisionInput.ReleaseInput(
        release.getMetadata().getName(), release.getSpec().version(), components, quarantine);
  }

  /** The quarantine reason with who and when, from the release's annotations; null if none. */
  private static String quarantineOf(Release release) {
    var annotations = release.getMetadata().getAnnotations();
    String reason = annotations == null ? null : annotations.get(ReleaseAnnotations.QUARANTINE);
    if (reason == null) {
      return null;
    }
    return reason
        + " (by "
        + annotations.getOrDefault(ReleaseAnnotations.QUARANTINED_BY, "unknown")
        + " at "
        + annotations.getOrDefault(ReleaseAnnotations.QUARANTINED_AT, "unknown")
        + ")";
  }

  /** When the release succeeded in each upstream environment, from their status history. */
  private static Map<String, String> upstreamSuccesses(
      Observed observed, Environment env, Release release) {
    Map<String, String> result = new HashMap<>();
    if (env.getSpec().upstream() == null) {
      return result;
    }
    for (String name : env.getSpec().upstream().environments()) {
      Environment upstream = observed.environment(name);
      if (upstream != null) {
        EnvironmentHistory.succeededAt(upstream, release.getMetadata().getName())
            .ifPresent(at -> result.put(name, at));
      }
    }
    return result;
  }

  private static List<DecisionInput.PolicyInput> policies(Observed observed, Environment env) {
    List<DecisionInput.PolicyInput> result = new ArrayList<>();
    for (String name : policyNames(env)) {
      GatePolicy p = observed.gatePolicy(name);
      if (p == null) {
        continue;
      }
      boolean ready =
          p.getStatus() != null
              && Objects.equals(
                  p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
              && Conditions.find(p.getStatus(), ConditionTypes.READY)
                  .map(c -> c.status() == Condition.Status.TRUE)
                  .orElse(false);
      result.add(
          new DecisionInput.PolicyInput(
              name,
              ready,
              p.getStatus() == null ? null : p.getStatus().getPolicyDigest(),
              p.getSpec()));
    }
    return result;
  }
}
