package io.stellaops.controllers.environment;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.stellaops.controllers.kubernetes.CreateOnce;
import io.stellaops.controllers.kubernetes.Informers;
import io.stellaops.controllers.kubernetes.StatusPatch;
import io.stellaops.controllers.kubernetes.WithoutManagedFields;
import io.stellaops.controllers.promotion.EnvironmentHistory;
import io.stellaops.controllers.status.KubernetesEvents;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.environment.DeployedRelease;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.environment.EnvironmentStatus;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionSpec;
import io.stellaops.crds.target.Target;
import io.stellaops.decision.gates.FreezeWindowGate;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an Environment's freeze state in status and, when {@code autoPromote} is set, promotes a
 * release once it succeeded in the upstream environments and soaked there. The auto-promotion has a
 * name derived from release and environment, so it is created exactly once.
 */
@ControllerConfiguration
public class EnvironmentReconciler implements Reconciler<Environment> {
  private static final Duration RECHECK = Duration.ofMinutes(1);
  private static final String UPSTREAMS = "upstream-environments";

  private final Clock clock;

  public EnvironmentReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Environment>> prepareEventSources(
      EventSourceContext<Environment> context) {
    // An environment is looked at again when one of its upstream environments changes.
    var upstreams =
        InformerEventSourceConfiguration.from(Environment.class, Environment.class)
            .withName(UPSTREAMS)
            .withSecondaryToPrimaryMapper((Environment changed) ->
                context
                    .getPrimaryCache()
                    .list(changed.getMetadata().getNamespace())
                    .filter(e ->
                        e.getSpec().upstream() != null
                            && e.getSpec()
                                .upstream()
                                .environments()
                                .contains(changed.getMetadata().getName()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .build();
    // Promotions into an environment make its history: one that starts, ends or succeeds changes
    // it.
    var promotions =
        InformerEventSourceConfiguration.from(Promotion.class, Environment.class)
            .withItemStore(new WithoutManagedFields<>())
            .withName("promotions-into")
            .withSecondaryToPrimaryMapper((Promotion p) ->
                Set.of(new ResourceID(p.getSpec().environment(), p.getMetadata().getNamespace())))
            .withOnUpdateFilter((now, before) -> phase(now) != phase(before))
            .build();
    // What an environment names must exist: it is looked at again when a Target or GatePolicy
    // appears or goes.
    var targets =
        InformerEventSourceConfiguration.from(Target.class, Environment.class)
            .withSecondaryToPrimaryMapper((Target t) ->
                Set.of(new ResourceID(t.getSpec().environment(), t.getMetadata().getNamespace())))
            .withOnUpdateFilter((now, before) ->
                !now.getSpec().environment().equals(before.getSpec().environment()))
            .build();
    var gatePolicies =
        InformerEventSourceConfiguration.from(GatePolicy.class, Environment.class)
            .withSecondaryToPrimaryMapper((GatePolicy changed) ->
                context
                    .getPrimaryCache()
                    .list(changed.getMetadata().getNamespace())
                    .filter(e ->
                        e.getSpec().gatePolicies() != null
                            && e.getSpec().gatePolicies().contains(changed.getMetadata().getName()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .withOnUpdateFilter((now, before) -> false)
            .build();
    return List.of(
        new InformerEventSource<>(upstreams, context),
        new InformerEventSource<>(promotions, context),
        new InformerEventSource<>(targets, context),
        new InformerEventSource<>(gatePolicies, context));
  }

  private static Phase phase(Promotion p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  @Override
  public UpdateControl<Environment> reconcile(Environment env, Context<Environment> context) {
    Instant now = clock.instant();
    long generation = env.getMetadata().getGeneration();
    EnvironmentStatus status = new EnvironmentStatus();
    if (env.getStatus() != null) {
      status.setConditions(env.getStatus().getConditions());
    }
    recordDeployments(env, status, promotionsInto(env, context));
    Duration recheck = RECHECK;
    try {
      var window = FreezeWindowGate.activeAt(env.getSpec().freezeWindows(), now);
      status.setFrozen(window.isPresent());
      status.setActiveFreezeWindow(window.map(w -> w.name() + " until " + w.until()).orElse(null));
      if (window.isPresent()) {
        recheck = min(recheck, Duration.between(now, window.get().until()));
      }
      if (Boolean.TRUE.equals(env.getSpec().autoPromote())) {
        recheck = min(recheck, autoPromote(context.getClient(), context, env, now));
      }
      Missing missing = missingReferences(env, context);
      if (missing != null) {
        Conditions.stalled(status, generation, missing.reason(), missing.message(), now);
      } else {
        Conditions.ready(
            status,
            generation,
            "Ready",
            window
                .map(w -> "frozen by " + w.name() + " until " + w.until())
                .orElse("open for promotions"),
            now);
      }
    } catch (IllegalArgumentException e) {
      Conditions.stalled(status, generation, "InvalidFreezeWindow", e.getMessage(), now);
    }
    return StatusPatch.ifChanged(
            env, status, Environment::new, context.getClient().getKubernetesSerialization())
        .rescheduleAfter(recheck.plusSeconds(1));
  }

  /** A reference the environment makes that promotions into it would fail on. */
  private record Missing(String reason, String message) {}

  private static Missing missingReferences(Environment env, Context<Environment> context) {
    String ns = env.getMetadata().getNamespace();
    List<String> problems = new ArrayList<>();
    String reason = null;
    var upstream = env.getSpec().upstream();
    for (String name : upstream == null ? List.<String>of() : upstream.environments()) {
      if (upstream(context, ns, name) == null) {
        problems.add("upstream environment " + name + " does not exist in namespace " + ns);
        reason = reason == null ? "UpstreamMissing" : reason;
      }
    }
    var policies = env.getSpec().gatePolicies();
    for (String name : policies == null ? List.<String>of() : policies) {
      if (cached(context, GatePolicy.class, ns, name) == null) {
        problems.add("GatePolicy " + name + " does not exist in namespace " + ns);
        reason = reason == null ? "GatePolicyMissing" : reason;
      }
    }
    boolean hasTargets =
        Informers.of(context, Target.class)
            .list(
                ns,
                t ->
                    t.getSpec() != null
                        && env.getMetadata().getName().equals(t.getSpec().environment()))
            .findAny()
            .isPresent();
    if (!hasTargets) {
      problems.add(
          "no Target names this environment, so promotions into it cannot deploy; create a Target"
              + " with spec.environment: "
              + env.getMetadata().getName());
      reason = reason == null ? "NoTargets" : reason;
    }
    return problems.isEmpty() ? null : new Missing(reason, String.join("; ", problems));
  }

  /**
   * An upstream environment as the informer that woke this reconcile holds it: the controller's own
   * cache may not have its newest status yet.
   */
  private static Environment upstream(Context<Environment> context, String ns, String name) {
    return Informers.of(context, Environment.class, UPSTREAMS)
        .get(new ResourceID(name, ns))
        .orElse(null);
  }

  private static <R extends HasMetadata> R cached(
      Context<Environment> context, Class<R> type, String namespace, String name) {
    return Informers.of(context, type).get(new ResourceID(name, namespace)).orElse(null);
  }

  private static List<Promotion> promotionsInto(Environment env, Context<Environment> context) {
    return Informers.of(context, Promotion.class)
        .list(
            env.getMetadata().getNamespace(),
            p -> env.getMetadata().getName().equals(p.getSpec().environment()))
        .toList();
  }

  /**
   * Current and history from the promotions that succeeded here; activePromotion the one deploying,
   * else the earliest still waiting. This controller is the only writer of them.
   */
  private static void recordDeployments(
      Environment env, EnvironmentStatus status, List<Promotion> into) {
    var before = env.getStatus() == null ? new EnvironmentStatus() : env.getStatus();
    int limit = env.getSpec().historyLimit() == null ? 10 : env.getSpec().historyLimit();
    var deployed =
        EnvironmentHistory.advance(before.getCurrent(), before.getHistory(), into, limit);
    status.setCurrent(deployed.current());
    status.setHistory(deployed.history());
    List<Promotion> unfinished =
        into.stream()
            .filter(p -> !Phase.ended(phase(p)))
            .sorted(
                Comparator.comparing((Promotion p) -> p.getMetadata().getCreationTimestamp())
                    .thenComparing(p -> p.getMetadata().getName()))
            .toList();
    status.setActivePromotion(
        unfinished.stream()
            .filter(p -> phase(p) == Phase.Deploying)
            .findFirst()
            .or(() -> unfinished.stream().findFirst())
            .map(p -> p.getMetadata().getName())
            .orElse(null));
  }

  /** Promotes eligible releases; returns when to look again (the end of the shortest soak). */
  private Duration autoPromote(
      KubernetesClient client, Context<Environment> context, Environment env, Instant now) {
    var upstream = env.getSpec().upstream();
    if (upstream == null || upstream.environments().isEmpty()) {
      return RECHECK;
    }
    String ns = env.getMetadata().getNamespace();
    List<Environment> upstreams =
        upstream.environments().stream()
            .map(name -> upstream(context, ns, name))
            .filter(Objects::nonNull)
            .toList();
    Duration soak = GoDuration.parse(upstream.soakTime());
    Duration recheck = RECHECK;
    List<String> candidates =
        upstreams.stream()
            .map(u -> u.getStatus() == null ? null : u.getStatus().getCurrent())
            .filter(Objects::nonNull)
            .map(DeployedRelease::release)
            .distinct()
            .toList();
    for (String release : candidates) {
      if (env.getStatus() != null
          && env.getStatus().getCurrent() != null
          && release.equals(env.getStatus().getCurrent().release())) {
        continue;
      }
      List<Instant> soakedAt = new ArrayList<>();
      for (Environment u : upstreams) {
        EnvironmentHistory.succeededAt(u, release)
            .ifPresent(at -> soakedAt.add(Instant.parse(at).plus(soak)));
      }
      boolean oneOf = upstream.mode() == io.stellaops.crds.environment.UpstreamPolicy.Mode.ONE_OF;
      boolean complete =
          oneOf ? !soakedAt.isEmpty() : soakedAt.size() == upstream.environments().size();
      if (!complete) {
        continue;
      }
      Instant ready =
          oneOf
              ? soakedAt.stream().min(Instant::compareTo).orElseThrow()
              : soakedAt.stream().max(Instant::compareTo).orElseThrow();
      if (now.isBefore(ready)) {
        recheck = min(recheck, Duration.between(now, ready));
        continue;
      }
      createPromotion(client, env, release, now);
    }
    return recheck;
  }

  private static void createPromotion(
      KubernetesClient client, Environment env, String release, Instant now) {
    Promotion p = new Promotion();
    p.getMetadata().setName(autoPromotionName(release, env.getMetadata().getName()));
    p.getMetadata().setNamespace(env.getMetadata().getNamespace());
    p.getMetadata().getLabels().put("stellaops.io/auto-promotion", "true");
    p.setSpec(
        new PromotionSpec(
            release,
            env.getMetadata().getName(),
            null,
            "auto-promoted: succeeded and soaked upstream",
            null,
            null));
    if (CreateOnce.createIfAbsent(client, p)) {
      KubernetesEvents.record(
          client,
          env,
          "Normal",
          "AutoPromoted",
          "promoting " + release + " into " + env.getMetadata().getName(),
          now);
    }
  }

  /** {@code <release>-to-<environment>-auto}: one auto-promotion per release and environment. */
  public static String autoPromotionName(String release, String environment) {
    String name = release + "-to-" + environment + "-auto";
    return name.length() <= 253 ? name : name.substring(0, 253);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
