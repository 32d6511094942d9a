package io.stellaops.operator;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Promotions at scale, the operator as a separate JVM on the real API server: E Environments with T
 * Targets each (one Agent per Environment), P Promotions of digest-pinned Releases with every gate
 * passing, created 8 at a time and queued per Environment. The Agents are load agents in this JVM:
 * they renew their Leases and report each DeploymentJob Succeeded as soon as it appears, deploying
 * nothing. Prints the operator's API requests per promotion by verb and resource (from the API
 * server's {@code apiserver_request_total}, the load agents' own requests subtracted), end-to-end
 * latency, the controller's own share of it (from its turn in the queue to its jobs, and from its
 * last job reported to Succeeded) as p50/p99, and the operator's heap, RSS and CPU. A benchmark,
 * not a test. Run it with {@code hack/bench.sh promotions} (-Dstella.scale.promotions=P,
 * -Dstella.scale.environments=E, -Dstella.scale.targets=T).
 */
@EnableKubeAPIServer
class PromotionScaleBenchmark {
  static final String NS = ScaleBenchmark.NS;
  static final int PROMOTIONS = Integer.getInteger("stella.scale.promotions", 5_000);
  static final int ENVIRONMENTS = Integer.getInteger("stella.scale.environments", 100);
  static final int TARGETS = Integer.getInteger("stella.scale.targets", 10);
  static final int RELEASES = 50;
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  /** When the benchmark saw each step of one promotion (System.nanoTime). */
  static final class Seen {
    volatile long created;
    volatile long firstJob;
    volatile long lastJobReported;
    volatile long succeeded;
    volatile String environment;
  }

  static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  static Seen seen(String promotion) {
    return SEEN.computeIfAbsent(promotion, p -> new Seen());
  }

  @Test
  void promotionsAtScale() throws Exception {
    ScaleBenchmark.client = client; // its request accounting reads this API server
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    Path work = Files.createTempDirectory("stella-promotions");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    fixtures();
    ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor();
    leases.scheduleAtFixedRate(PromotionScaleBenchmark::renewLeases, 0, 10, TimeUnit.SECONDS);
    SharedIndexInformer<DeploymentJob> agents = loadAgents();
    SharedIndexInformer<Promotion> promotions = watchPromotions();
    List<String> report = new ArrayList<>();
    var operator = OperatorProcess.start(work, kubeconfig, Map.of());
    try {
      report.add("operator start → Ready: %.1f s".formatted(operator.awaitReady()));
      ScaleBenchmark.ApiServer before = ScaleBenchmark.ApiServer.read();
      long start = System.nanoTime();
      create();
      ScaleBenchmark.await(
          () -> SEEN.values().stream().filter(s -> s.succeeded > 0).count() == PROMOTIONS,
          Duration.ofMinutes(60));
      double all = ScaleBenchmark.seconds(start);
      double busy = ScaleBenchmark.quiet(start);
      ScaleBenchmark.ApiServer after = ScaleBenchmark.ApiServer.read();
      report.add(
          ("%d Promotions (%d Environments × %d Targets, %d Agents) created through admission"
                  + " and all Succeeded after %.0f s (%.1f promotions/s), operator busy %.0f s")
              .formatted(
                  PROMOTIONS, ENVIRONMENTS, TARGETS, ENVIRONMENTS, all, PROMOTIONS / all, busy));
      report.add(
          "  operator requests: "
              + after.minusOwn(before, PROMOTIONS).replace("per Release", "per promotion"));
      report.add("  latency: " + latencies());
      report.add("operator process: " + operator.resources());
      report.add("  live heap by class (top 8):\n" + operator.heapTop(8));
    } finally {
      operator.close();
      agents.close();
      promotions.close();
      leases.shutdownNow();
    }
    System.out.println();
    System.out.println(
        "Scale: Promotions, kube-apiserver " + client.getKubernetesVersion().getGitVersion());
    report.forEach(line -> System.out.println("  " + line));
    System.out.println();
  }

  static void fixtures() {
    StringBuilder yaml = new StringBuilder();
    for (int r = 0; r < RELEASES; r++) {
      yaml.append(
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r%d, namespace: %s}
          spec:
            version: 1.0.%d
            components: [{name: app, image: registry.example.com/bench/app, digest: sha256:%064x}]
          ---
          """
              .formatted(r, NS, r, r));
    }
    for (int e = 0; e < ENVIRONMENTS; e++) {
      yaml.append(
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Environment
          metadata: {name: env%d, namespace: %s}
          spec: {}
          ---
          apiVersion: stellaops.io/v1alpha1
          kind: Agent
          metadata: {name: agent%d, namespace: %s}
          spec: {serviceAccountName: agent%d, capabilities: [docker]}
          ---
          """
              .formatted(e, NS, e, NS, e));
      for (int t = 0; t < TARGETS; t++) {
        yaml.append(
            """
            apiVersion: stellaops.io/v1alpha1
            kind: Target
            metadata: {name: env%d-t%d, namespace: %s}
            spec: {environment: env%d, type: docker, agent: agent%d, docker: {}}
            ---
            """
                .formatted(e, t, NS, e, e));
      }
    }
    PromotionTestSupport.apply(client, NS, yaml.toString());
  }

  /** Each load agent's heartbeat, as real agents renew it (the benchmark's own requests). */
  static void renewLeases() {
    var now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    for (int e = 0; e < ENVIRONMENTS; e++) {
      String agent = "agent" + e;
      client
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(AgentLease.name(agent))
                  .withNamespace(NS)
                  .addToLabels(AgentLease.AGENT_LABEL, agent)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(agent + "@load")
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .fieldManager("stella-load-agent")
          .forceConflicts()
          .serverSideApply();
      ScaleBenchmark.ApiServer.own("APPLY leases");
    }
  }

  /** Load agents: every new job is reported Succeeded at once; nothing is deployed. */
  static SharedIndexInformer<DeploymentJob> loadAgents() {
    ExecutorService reporters = Executors.newFixedThreadPool(4);
    return client
        .resources(DeploymentJob.class)
        .inNamespace(NS)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(DeploymentJob job) {
                Seen s = seen(job.getSpec().promotion());
                if (s.firstJob == 0) {
                  s.firstJob = System.nanoTime();
                }
                reporters.submit(() -> {
                  client
                      .resources(DeploymentJob.class)
                      .inNamespace(NS)
                      .withName(job.getMetadata().getName())
                      .editStatus(j -> {
                        var status = new DeploymentJobStatus();
                        status.setPhase(DeploymentJobStatus.JobPhase.SUCCEEDED);
                        status.setObserved(j.getSpec().components());
                        j.setStatus(status);
                        return j;
                      });
                  ScaleBenchmark.ApiServer.own("GET deploymentjobs");
                  ScaleBenchmark.ApiServer.own("PATCH deploymentjobs/status");
                  s.lastJobReported = System.nanoTime();
                });
              }

              @Override
              public void onUpdate(DeploymentJob before, DeploymentJob now) {}

              @Override
              public void onDelete(DeploymentJob job, boolean unknown) {}
            });
  }

  static SharedIndexInformer<Promotion> watchPromotions() {
    return client
        .resources(Promotion.class)
        .inNamespace(NS)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Promotion p) {
                onUpdate(null, p);
              }

              @Override
              public void onUpdate(Promotion before, Promotion now) {
                Seen s = seen(now.getMetadata().getName());
                s.environment = now.getSpec().environment();
                if (now.getStatus() != null
                    && now.getStatus().getPhase() == Phase.Succeeded
                    && s.succeeded == 0) {
                  s.succeeded = System.nanoTime();
                }
              }

              @Override
              public void onDelete(Promotion p, boolean unknown) {}
            });
  }

  /** P promotions, release i mod 50 into environment i mod E, 8 clients. */
  static void create() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < PROMOTIONS; i++) {
      String name = "p%d".formatted(i);
      String yaml =
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Promotion
          metadata: {name: %s, namespace: %s}
          spec: {release: r%d, environment: env%d, reason: bench}
          """
              .formatted(name, NS, i % RELEASES, i % ENVIRONMENTS);
      done.add(
          pool.submit(() -> {
            seen(name).created = System.nanoTime();
            client.resource(yaml).create();
            ScaleBenchmark.ApiServer.own("POST promotions");
          }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  /**
   * End to end (created → Succeeded, queue wait included) and the controller's share: from its turn
   * (created, or the previous promotion into its environment Succeeded) to its first job, plus from
   * its last job reported to Succeeded.
   */
  static String latencies() {
    List<Double> endToEnd = new ArrayList<>();
    List<Double> overhead = new ArrayList<>();
    Map<String, List<Seen>> byEnvironment = new ConcurrentHashMap<>();
    SEEN.values()
        .forEach(s -> byEnvironment.computeIfAbsent(s.environment, e -> new ArrayList<>()).add(s));
    for (List<Seen> queue : byEnvironment.values()) {
      queue.sort(Comparator.comparingLong(s -> s.succeeded));
      long previous = 0;
      for (Seen s : queue) {
        endToEnd.add((s.succeeded - s.created) / 1e6);
        long turn = Math.max(s.created, previous);
        overhead.add(
            (Math.max(0, s.firstJob - turn) + Math.max(0, s.succeeded - s.lastJobReported)) / 1e6);
        previous = s.succeeded;
      }
    }
    return "end to end p50 %.0f ms, p99 %.0f ms (queued behind the environment's earlier ones);"
            .formatted(percentile(endToEnd, 50), percentile(endToEnd, 99))
        + " controller overhead p50 %.0f ms, p99 %.0f ms"
            .formatted(percentile(overhead, 50), percentile(overhead, 99));
  }

  static double percentile(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
