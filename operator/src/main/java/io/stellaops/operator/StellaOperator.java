package io.stellaops.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeedReconciler;
import io.stellaops.controllers.advisoryfeed.AdvisoryFeeds;
import io.stellaops.controllers.agent.AgentReconciler;
import io.stellaops.controllers.environment.EnvironmentReconciler;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.controllers.export.ExportReconciler;
import io.stellaops.controllers.gatepolicy.GatePolicyReconciler;
import io.stellaops.controllers.ilmclass.IlmClassReconciler;
import io.stellaops.controllers.ilmclass.IlmInventory;
import io.stellaops.controllers.kubernetes.KubernetesSecrets;
import io.stellaops.controllers.metrics.ControllerMetrics;
import io.stellaops.controllers.promotion.PromotionReconciler;
import io.stellaops.controllers.release.ReleaseReconciler;
import io.stellaops.controllers.target.TargetReconciler;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.policy.CachingSecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.provenance.SlsaProvenance;
import io.stellaops.supplychain.sbom.Sboms;
import io.stellaops.webhooks.AdmissionMetrics;
import io.stellaops.webhooks.AdmissionServer;
import io.stellaops.webhooks.WebhookConfigurations;
import io.stellaops.webhooks.agent.AgentStatusAdmission;
import io.stellaops.webhooks.approval.ApprovalAdmission;
import io.stellaops.webhooks.evidence.EvidenceAdmission;
import io.stellaops.webhooks.gatepolicy.GatePolicyAdmission;
import io.stellaops.webhooks.imagepolicy.AdmissionEvents;
import io.stellaops.webhooks.imagepolicy.ImagePolicy;
import io.stellaops.webhooks.imagepolicy.PodAdmission;
import io.stellaops.webhooks.promotion.PromotionAdmission;
import io.stellaops.webhooks.release.ReleaseAdmission;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stella Operator: the controllers and the admission server in one process. Starts the admission
 * server first and registers it (fail closed), then the controllers; stops both on SIGTERM.
 */
public final class StellaOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StellaOperator.class);
  static final Duration LEADER_LEASE = Duration.ofSeconds(8);
  static final Duration LEADER_RENEW_DEADLINE = Duration.ofSeconds(6);
  static final Duration LEADER_RETRY = Duration.ofSeconds(2);

  private final OperatorSettings settings;
  private final KubernetesClient client;
  private Operator operator;
  private AdmissionServer admission;
  private HealthServer health;
  private EvidenceSigningKey cachedKey;
  private Instant keyCheckedAt = Instant.EPOCH;
  private IlmInventory ilmInventory;
  private AdvisoryFeedReconciler feedReconciler;
  private volatile boolean feedsLoadedOnce;
  private SharedIndexInformer<TrustPolicy> trustPolicies;
  private volatile boolean leading;
  private volatile boolean closing;
  // one registry client for tag resolution and signature reads
  private final RegistryClient registry;
  // shared by admission and the Release controller: a verdict reached once serves both
  private final TrustEvaluator trustEvaluator;
  // keys and credentials policies name, read by admission and the Release controller alike
  private final CachingSecretSource secrets;

  public StellaOperator(OperatorSettings settings, KubernetesClient client) {
    this.settings = settings;
    this.client = client;
    this.registry = new RegistryClient(Duration.ofSeconds(5), settings.insecureRegistries());
    this.trustEvaluator = TrustEvaluator.cosign(registry);
    this.secrets =
        new CachingSecretSource(
            new KubernetesSecrets(client), Duration.ofSeconds(30), Clock.systemUTC());
  }

  public void start() throws Exception {
    ensureNamespace();
    health = new HealthServer(settings.healthPort(), this::readinessProblems);
    health.start();
    startAdmission();
    AdmissionMetrics.init();
    operator =
        new Operator(o -> {
          o.withKubernetesClient(client)
              .withCloseClientOnStop(false)
              .withMetrics(new ControllerMetrics());
          if (settings.leaderElection()) {
            // A standby takes over at most LEASE + RETRY after the leader died, then starts its
            // controllers: within 15 s (client-go's 15/10/2 defaults allow 17 s before starting).
            o.withLeaderElectionConfiguration(
                new LeaderElectionConfiguration(
                    "stella-operator",
                    settings.namespace(),
                    LEADER_LEASE,
                    LEADER_RENEW_DEADLINE,
                    LEADER_RETRY,
                    leaderIdentity(),
                    new LeaderCallbacks(() -> leading = true, this::stoppedLeading, leader -> {}),
                    false));
          }
        });
    register(new GatePolicyReconciler(Clock.systemUTC()));
    register(new io.stellaops.controllers.trustpolicy.TrustPolicyReconciler(Clock.systemUTC()));
    register(new EnvironmentReconciler(Clock.systemUTC()));
    var advisoryFeeds = new AdvisoryFeeds();
    feedReconciler = new AdvisoryFeedReconciler(Clock.systemUTC(), advisoryFeeds, registry);
    register(feedReconciler);
    register(
        new ReleaseReconciler(
            Clock.systemUTC(),
            trustEvaluator,
            advisoryFeeds,
            new Sboms(registry),
            new SlsaProvenance.Reader(registry),
            secrets),
        null);
    register(new PromotionReconciler(Clock.systemUTC(), this::signingKey, advisoryFeeds), null);
    register(new AgentReconciler(Clock.systemUTC()));
    register(new TargetReconciler(Clock.systemUTC()));
    ilmInventory = new IlmInventory(client);
    register(
        new IlmClassReconciler(
            Clock.systemUTC(),
            ilmInventory,
            registry,
            this::signingKey,
            new IlmClassReconciler.Settings(
                settings.ilmInterval(),
                settings.ilmPurgesPerRun(),
                settings.ilmWritesPerSecond(),
                settings.ilmParallelism(),
                settings.namespace())));
    register(
        new ExportReconciler(
            Clock.systemUTC(),
            ExportReconciler.registryClient(settings.insecureRegistries()),
            this::signingKey,
            new ExportReconciler.Settings(
                settings.namespace(),
                HealthServer.version().get("version"),
                Duration.ofSeconds(30))));
    signingKey();
    operator.start();
    LOG.info(
        "Stella Operator {} started {} ms after the JVM; health on :{}, admission on :{}",
        HealthServer.version().get("version"),
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
        health.port(),
        admission.port());
  }

  /**
   * The holder named in the Lease: the host (a Pod's name in a cluster) and the process, so that
   * replicas on one host differ and {@code kubectl get lease stella-operator} says which one leads.
   */
  static String leaderIdentity() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "stella-operator";
    }
    return host + "_" + ProcessHandle.current().pid();
  }

  /**
   * How long a controller may go without a reconcile before java-operator-sdk triggers one anyway
   * (its failsafe; 10 h by default). Each reconcile that does not reschedule itself replaces a
   * java.util.Timer task for that, and a cancelled task stays queued until its time: with 10 h,
   * every reconcile left a task behind for 10 h (OperatorSoak: 4.5 MiB of them in 30 minutes).
   */
  static final Duration FAILSAFE_RECONCILE = Duration.ofMinutes(10);

  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
      io.javaoperatorsdk.operator.api.reconciler.Reconciler<P> reconciler) {
    register(reconciler, FAILSAFE_RECONCILE);
  }

  /**
   * Registers {@code reconciler} with a failsafe reconcile every {@code failsafe}, or none (null):
   * Promotions and Releases need none, their waits reschedule themselves, and they are many.
   */
  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
      io.javaoperatorsdk.operator.api.reconciler.Reconciler<P> reconciler, Duration failsafe) {
    operator.register(reconciler, o -> o.withReconciliationMaxInterval(failsafe));
  }

  /** A leader that lost its Lease exits, so it restarts as a clean standby. */
  private void stoppedLeading() {
    leading = false;
    if (!closing) {
      LOG.error("lost the leader Lease stella-operator; exiting so this replica restarts clean");
      System.exit(1);
    }
  }

  /**
   * The evidence key, checked against its Secret at most every {@code
   * STELLA_EVIDENCE_KEY_RECHECK_SECONDS}: a rotation replaces it.
   */
  private synchronized EvidenceSigningKey signingKey() {
    Instant now = Instant.now();
    if (cachedKey == null || now.isAfter(keyCheckedAt.plus(settings.evidenceKeyRecheck()))) {
      cachedKey = EvidenceSigningKey.refresh(client, settings.namespace(), cachedKey);
      keyCheckedAt = now;
    }
    return cachedKey;
  }

  private void ensureNamespace() {
    if (client.namespaces().withName(settings.namespace()).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(settings.namespace())
                  .endMetadata()
                  .build())
          .create();
    }
  }

  private void startAdmission() throws Exception {
    WebhookConfigurations.Endpoint endpoint;
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    if (settings.webhookUrl() != null) {
      endpoint = new WebhookConfigurations.Url(settings.webhookUrl());
      String host = URI.create(settings.webhookUrl()).getHost();
      (host.matches("[0-9.]+") ? ips : dns).add(host);
    } else {
      String[] service = settings.webhookService().split("\\.", 2);
      endpoint = new WebhookConfigurations.Service(service[1], service[0], 443);
      dns.add(service[0] + "." + service[1] + ".svc");
      dns.add(service[0] + "." + service[1] + ".svc.cluster.local");
    }
    // Without a Secret: a fresh CA at every start, carried by the registration below, so
    // certificates rotate with each restart (one replica). With one: shared by every replica.
    var certificates =
        settings.webhookCertificateSecret() == null
            ? WebhookCertificates.generate(dns, ips, Duration.ofDays(365))
            : WebhookCertificateSecret.loadOrCreate(
                client,
                settings.namespace(),
                settings.webhookCertificateSecret(),
                settings.webhookCertificateExternal(),
                dns,
                ips,
                Clock.systemUTC());
    Map<String, io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler> handlers =
        new LinkedHashMap<>();
    handlers.put(PromotionAdmission.PATH, new PromotionAdmission(client));
    handlers.put(ApprovalAdmission.PATH, new ApprovalAdmission(client));
    Set<String> self = Set.of(selfUsername());
    handlers.put(AgentStatusAdmission.PATH, new AgentStatusAdmission(client, self));
    handlers.put(EvidenceAdmission.PATH, new EvidenceAdmission(client, self));
    handlers.put(
        GatePolicyAdmission.PATH, new GatePolicyAdmission(client.getKubernetesSerialization()));
    trustPolicies = client.resources(TrustPolicy.class).inform();
    var imagePolicy =
        new ImagePolicy(trustEvaluator, () -> trustPolicies.getStore().list(), secrets, registry);
    var events = new AdmissionEvents(client, Clock.systemUTC());
    handlers.put(
        ReleaseAdmission.PATH,
        new ReleaseAdmission(
            client.getKubernetesSerialization(), Clock.systemUTC(), imagePolicy, events));
    handlers.put(
        PodAdmission.PATH,
        new PodAdmission(client.getKubernetesSerialization(), imagePolicy, events));
    admission =
        new AdmissionServer(
            new InetSocketAddress(settings.webhookPort()),
            certificates,
            handlers,
            settings.admissionDeadline(),
            client.getKubernetesSerialization());
    admission.start();
    client
        .resource(WebhookConfigurations.mutating(endpoint, certificates.caPem()))
        .forceConflicts()
        .serverSideApply();
    client
        .resource(WebhookConfigurations.validating(endpoint, certificates.caPem()))
        .forceConflicts()
        .serverSideApply();
  }

  /**
   * Who the operator is to the API server: it may always write job and target status, and it alone
   * deletes evidence.
   */
  private String selfUsername() {
    return client
        .authentication()
        .v1()
        .selfSubjectReviews()
        .create(new SelfSubjectReview())
        .getStatus()
        .getUserInfo()
        .getUsername();
  }

  private Map<String, String> readinessProblems() {
    Map<String, String> problems = new LinkedHashMap<>();
    if (operator == null || !operator.getRuntimeInfo().isStarted()) {
      problems.put("controllers", "not started");
    } else if (settings.leaderElection() && !leading) {
      // a standby replica serves admission; its controllers start when it leads
    } else if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      problems.put(
          "informers", String.valueOf(operator.getRuntimeInfo().unhealthyEventSources().keySet()));
    } else if (!feedsLoadedOnce) {
      // At start only: promotions wait for every feed, a feed that failed counts as tried (its
      // status says why); a feed added later must not take admission away while it loads.
      List<String> loading = feedReconciler.notTriedYet();
      if (loading.isEmpty()) {
        feedsLoadedOnce = true;
      } else {
        problems.put("advisoryFeeds", "loading " + String.join(", ", loading));
      }
    }
    if (admission == null) {
      problems.put("admission", "not started");
    } else if (!trustPolicies.hasSynced()) {
      problems.put("admission", "TrustPolicy informer not synced");
    }
    try {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      problems.put("apiServer", e.getMessage());
    }
    return problems;
  }

  @Override
  public void close() {
    closing = true;
    LOG.info("stopping Stella Operator");
    if (operator != null) {
      operator.stop();
    }
    if (admission != null) {
      admission.close();
    }
    if (trustPolicies != null) {
      trustPolicies.close();
    }
    if (ilmInventory != null) {
      ilmInventory.close();
    }
    if (health != null) {
      health.close();
    }
    client.close();
  }

  public static void main(String[] args) throws Exception {
    var settings = OperatorSettings.fromEnvironment(System.getenv());
    var stella = new StellaOperator(settings, new KubernetesClientBuilder().build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stella.close();
                  stopped.countDown();
                },
                "stella-shutdown"));
    stella.start();
    stopped.await();
  }
}
