package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.controllers.evidence.EvidenceSigningKey;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator, a JVM of its own, killed with SIGKILL at random moments while promotions run
 * through gates (a CEL rule denies prereleases in prod), approvals (stage needs one, given as soon
 * as it is asked for) and deployments (agents in this JVM report every job, failing those of one
 * release), then restarted at once. With two replicas (the default; {@code
 * -Dstella.chaos.replicas}) they elect a leader: most kills hit the leader, and a standby must take
 * over within 15 s; one in four kills every replica. Seeded: {@code -Dstella.chaos.seed} reruns a
 * run; {@code -Dstella.chaos.promotions} and {@code -Dstella.chaos.kills} size it (CI: 12 and 2;
 * {@code hack/test.sh chaos}: 100 and 20).
 *
 * <p>At the end every promotion must be terminal and decided once: one decision record, whose
 * inputs hash is the one its status and packet carry; one EvidencePacket that verifies with the
 * operator's key and replays to the same decision; one DeploymentJob per Target for what was
 * allowed, none for what was denied, each carrying exactly the digests the decision recorded; one
 * Event for its terminal phase.
 */
@EnableKubeAPIServer
class OperatorKillChaosIT {
  static final String NS = "chaos";
  static final long SEED = Long.getLong("stella.chaos.seed", System.nanoTime());
  static final int PROMOTIONS = Integer.getInteger("stella.chaos.promotions", 12);
  static final int KILLS = Integer.getInteger("stella.chaos.kills", 2);
  static final int REPLICAS = Integer.getInteger("stella.chaos.replicas", 2);
  static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
  static final int RELEASES = 8;
  static final String FAILING_RELEASE = "r7";
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  @Test
  void everyPromotionIsDecidedOnceAndProvenAcrossKills() throws Exception {
    System.out.printf(
        "chaos: seed %d, %d promotions, %d operator kills (rerun with -Dstella.chaos.seed=%d)%n",
        SEED, PROMOTIONS, KILLS, SEED);
    Random random = new Random(SEED); // when to kill
    Random pacing = new Random(SEED + 1); // when to create
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    String me = whoAmI();
    fixtures(me);
    Path work = Files.createTempDirectory("stella-chaos");
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml);
    ExecutorService background = Executors.newFixedThreadPool(4);
    SharedIndexInformer<DeploymentJob> agents = agents(background);
    AtomicLong lastProgress = new AtomicLong();
    SharedIndexInformer<Promotion> approver = approver(background, lastProgress);
    renewLeases();
    List<OperatorProcess> replicas = new ArrayList<>();
    for (int r = 0; r < REPLICAS; r++) {
      replicas.add(start(work, kubeconfig));
    }
    List<Double> failovers = new ArrayList<>(); // seconds from the leader's kill to the next step
    List<Double> restarts = new ArrayList<>(); // ... from every replica's kill
    int kills = 0;
    try {
      for (OperatorProcess replica : replicas) {
        replica.awaitReady();
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < PROMOTIONS; i++) {
        names.add("p%03d".formatted(i));
      }
      AtomicInteger created = new AtomicInteger();
      int pace = 2 * KILLS * 8_000 / PROMOTIONS;
      var creating =
          background.submit(() -> {
            for (int i = 0; i < PROMOTIONS; i++) {
              createThroughAdmission(names.get(i), "r" + (i % RELEASES), environment(i));
              created.incrementAndGet();
              sleep(pacing.nextInt(pace)); // spread over the kills, ~8 s apart
            }
            return null;
          });
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (!(kills == KILLS && creating.isDone() && allTerminal(names))
          && System.nanoTime() < deadline) {
        if (kills < KILLS) {
          sleep(1_000 + random.nextInt(6_000));
          renewLeases();
          // the leader alone (a standby takes over), or every replica now and then
          boolean all = replicas.size() == 1 || random.nextInt(4) == 0;
          List<Integer> victims =
              all
                  ? java.util.stream.IntStream.range(0, replicas.size()).boxed().toList()
                  : List.of(leader(replicas));
          boolean busy = !allTerminal(names.subList(0, created.get()));
          long killed = System.nanoTime();
          for (int victim : victims) {
            replicas.get(victim).process.destroyForcibly().waitFor(); // SIGKILL: no hook runs
          }
          kills++;
          for (int victim : victims) { // restarted at once, as a Deployment does
            replicas.set(victim, start(work, kubeconfig));
          }
          for (int victim : victims) {
            replicas.get(victim).awaitReady();
          }
          if (busy) {
            (all ? restarts : failovers).add(resumed(killed, lastProgress, names));
          }
        } else {
          sleep(1_000);
          renewLeases();
        }
      }
      creating.get();
      assertThat(kills).isEqualTo(KILLS);
      Map<String, Long> byPhase =
          names.stream()
              .map(n -> promotion(n).getStatus().getPhase())
              .collect(Collectors.groupingBy(Phase::toString, TreeMap::new, Collectors.counting()));
      System.out.printf("chaos: %d kills; promotions by phase %s%n", kills, byPhase);
      System.out.printf(
          "chaos: %d replica(s); seconds from a kill to the next promotion step: leader killed"
              + " (failover) %s, every replica killed (restart) %s%n",
          REPLICAS, failovers, restarts);
      List<String> violations = new ArrayList<>();
      for (String name : names) {
        check(name, violations);
      }
      assertThat(violations).as("invariant violations (seed %d)", SEED).isEmpty();
      assertThat(byPhase.keySet()).contains("Succeeded", "Denied", "Failed");
      if (REPLICAS > 1) {
        assertThat(failovers)
            .as("a standby resumes within %s of the leader's death", FAILOVER_BOUND)
            .allSatisfy(seconds -> assertThat(seconds).isLessThanOrEqualTo(15.0));
      }
    } finally {
      for (OperatorProcess replica : replicas) {
        replica.close();
      }
      agents.close();
      approver.close();
      background.shutdownNow();
    }
  }

  /** One replica; with several, they elect a leader and share the webhook certificate. */
  static OperatorProcess start(Path work, Path kubeconfig) throws Exception {
    return OperatorProcess.start(
        work,
        kubeconfig,
        REPLICAS == 1
            ? Map.of()
            : Map.of(
                "STELLA_LEADER_ELECTION", "true",
                "STELLA_WEBHOOK_CERT_SECRET", "stella-operator-webhook-tls"));
  }

  /** The index of the replica holding the leader Lease (the one replica when alone). */
  static int leader(List<OperatorProcess> replicas) {
    if (replicas.size() == 1) {
      return 0;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Lease lease =
          client
              .leases()
              .inNamespace(PromotionTestSupport.SYSTEM)
              .withName("stella-operator")
              .get();
      String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
      for (int r = 0; r < replicas.size(); r++) {
        if (holder != null && holder.endsWith("_" + replicas.get(r).process.pid())) {
          return r;
        }
      }
      sleep(200);
    }
    throw new AssertionError("no replica holds the leader Lease");
  }

  /** Seconds from the kill to the next promotion step any controller took (60 s at most). */
  static double resumed(long killed, AtomicLong lastProgress, List<String> names) {
    long deadline = killed + Duration.ofSeconds(60).toNanos();
    while (lastProgress.get() < killed && System.nanoTime() < deadline) {
      sleep(100);
    }
    return Math.round((Math.max(lastProgress.get(), killed) - killed) / 1e8) / 10.0;
  }

  /** dev and qa are open (qa has two Targets), stage needs an approval, prod denies -rc. */
  static String environment(int i) {
    return List.of("dev", "stage", "prod", "qa").get(i % 4);
  }

  static void fixtures(String me) {
    StringBuilder yaml = new StringBuilder();
    for (int r = 0; r < RELEASES; r++) {
      yaml.append(
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Release
          metadata: {name: r%d, namespace: %s}
          spec:
            version: 1.%d.0%s
            components:
              - {name: api, image: registry.example.com/chaos/api, digest: sha256:%064x}
              - {name: web, image: registry.example.com/chaos/web, digest: sha256:%064x}
          ---
          """
              .formatted(r, NS, r, r % 3 == 0 ? "-rc.1" : "", 100 + r, 200 + r));
    }
    yaml.append(
        """
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: no-prereleases, namespace: %1$s}
        spec:
          rules:
            - {name: final, expression: "!release.version.contains('-')", message: prereleases stay out of prod}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev, namespace: %1$s}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage, namespace: %1$s}
        spec: {approvals: {required: 1, allowedUsers: ["%2$s"], allowSelfApproval: true}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: prod, namespace: %1$s}
        spec: {gatePolicies: [no-prereleases]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: qa, namespace: %1$s}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: edge, namespace: %1$s}
        spec: {serviceAccountName: edge, capabilities: [docker]}
        ---
        """
            .formatted(NS, me));
    for (String target : List.of("dev", "stage", "prod", "qa", "qa-2")) {
      yaml.append(
          """
          apiVersion: stellaops.io/v1alpha1
          kind: Target
          metadata: {name: %s, namespace: %s}
          spec: {environment: %s, type: docker, agent: edge, docker: {}}
          ---
          """
              .formatted(target, NS, target.replace("-2", "")));
    }
    PromotionTestSupport.apply(client, NS, yaml.toString());
  }

  /** Creates the promotion, retrying while admission is down with the operator. */
  static void createThroughAdmission(String name, String release, String environment) {
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: %s, namespace: %s}
        spec: {release: %s, environment: %s, reason: chaos}
        """
            .formatted(name, NS, release, environment);
    for (int attempt = 0; ; attempt++) {
      try {
        client.resource(yaml).inNamespace(NS).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return; // created by an attempt whose answer was lost
        }
        if (attempt > 300) {
          throw e;
        }
        sleep(200);
      }
    }
  }

  /** The agent: reports each new job Succeeded (Failed for one release) with what it ran. */
  static SharedIndexInformer<DeploymentJob> agents(ExecutorService reporters) {
    return client
        .resources(DeploymentJob.class)
        .inNamespace(NS)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(DeploymentJob job) {
                reporters.submit(() -> report(job.getMetadata().getName()));
              }

              @Override
              public void onUpdate(DeploymentJob before, DeploymentJob now) {}

              @Override
              public void onDelete(DeploymentJob job, boolean unknown) {}
            });
  }

  static void report(String job) {
    client
        .resources(DeploymentJob.class)
        .inNamespace(NS)
        .withName(job)
        .editStatus(j -> {
          if (j.getStatus() != null && j.getStatus().getPhase() != null) {
            return j;
          }
          boolean fails = FAILING_RELEASE.equals(j.getSpec().release());
          var status = new DeploymentJobStatus();
          status.setPhase(
              fails ? DeploymentJobStatus.JobPhase.FAILED : DeploymentJobStatus.JobPhase.SUCCEEDED);
          status.setMessage(fails ? "the container exited with 1" : "running");
          status.setObserved(j.getSpec().components());
          j.setStatus(status);
          return j;
        });
  }

  /** Approves every promotion into stage that waits for approval. */
  static SharedIndexInformer<Promotion> approver(ExecutorService pool, AtomicLong lastProgress) {
    Set<String> approved = java.util.concurrent.ConcurrentHashMap.newKeySet();
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
              public void onUpdate(Promotion before, Promotion p) {
                var json = client.getKubernetesSerialization();
                if (before != null
                    && p.getStatus() != null
                    && !json.asJson(p.getStatus()).equals(json.asJson(before.getStatus()))) {
                  lastProgress.set(System.nanoTime());
                }
                if (p.getStatus() != null
                    && p.getStatus().getPhase() == Phase.AwaitingApproval
                    && approved.add(p.getMetadata().getName())) {
                  pool.submit(() -> approve(p.getMetadata().getName()));
                }
              }

              @Override
              public void onDelete(Promotion p, boolean unknown) {}
            });
  }

  static void approve(String promotion) {
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Approval
        metadata: {name: %s-ok, namespace: %s}
        spec: {promotion: %s, decision: approve, comment: chaos}
        """
            .formatted(promotion, NS, promotion);
    for (int attempt = 0; attempt < 300; attempt++) {
      try {
        client.resource(yaml).inNamespace(NS).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return;
        }
        sleep(200);
      }
    }
  }

  static void renewLeases() {
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(AgentLease.name("edge"))
                .withNamespace(NS)
                .addToLabels(AgentLease.AGENT_LABEL, "edge")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("edge@chaos")
                .withLeaseDurationSeconds(60)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .endSpec()
                .build())
        .forceConflicts()
        .serverSideApply();
  }

  static boolean allTerminal(List<String> names) {
    return names.stream()
        .allMatch(n -> {
          Promotion p = promotion(n);
          return p != null
              && p.getStatus() != null
              && p.getStatus().getPhase() != null
              && Phase.ended(p.getStatus().getPhase());
        });
  }

  static Promotion promotion(String name) {
    return client.resources(Promotion.class).inNamespace(NS).withName(name).get();
  }

  static void check(String name, List<String> violations) {
    Promotion p = promotion(name);
    Phase phase = p.getStatus().getPhase();
    if (!Set.of(Phase.Succeeded, Phase.Denied, Phase.Failed).contains(phase)) {
      violations.add(name + ": ended " + phase);
      return;
    }
    ConfigMap record = client.configMaps().inNamespace(NS).withName(name + "-decision").get();
    if (record == null) {
      violations.add(name + ": no decision record");
      return;
    }
    JsonNode inputs = json(record, "inputs.json");
    String inputsHash = json(record, "decision.json").path("inputsHash").asText();
    if (!inputsHash.equals(p.getStatus().getDecision().inputsHash())) {
      violations.add(name + ": status names another decision than the record");
    }
    List<EvidencePacket> packets =
        client.resources(EvidencePacket.class).inNamespace(NS).list().getItems().stream()
            .filter(e -> name.equals(e.getSpec().promotion()))
            .toList();
    if (packets.size() != 1) {
      violations.add(name + ": " + packets.size() + " evidence packets");
    } else {
      var packet = packets.getFirst();
      var verified = EvidenceVerifier.verify(packet.getSpec(), publicKey());
      if (!verified.problems().isEmpty()) {
        violations.add(name + ": evidence does not verify: " + verified.problems());
      } else {
        if (!EvidenceVerifier.replay(verified.statement()).identical()) {
          violations.add(name + ": evidence does not replay to its decision");
        }
        if (!inputsHash.equals(packet.getSpec().inputsHash())) {
          violations.add(name + ": evidence records another decision than the record");
        }
      }
    }
    List<DeploymentJob> jobs = PromotionTestSupport.jobsOf(client, NS, name);
    Set<String> decided = new java.util.TreeSet<>();
    inputs
        .at("/release/components")
        .forEach(c -> decided.add(c.path("name").asText() + "@" + c.path("digest").asText()));
    int targets = "qa".equals(p.getSpec().environment()) ? 2 : 1;
    if (phase == Phase.Denied) {
      if (!jobs.isEmpty()) {
        violations.add(name + ": denied, yet " + jobs.size() + " job(s)");
      }
    } else if (jobs.size() != targets) {
      violations.add(name + ": " + jobs.size() + " jobs for " + targets + " target(s)");
    }
    for (DeploymentJob job : jobs) {
      Set<String> ran = new java.util.TreeSet<>();
      job.getSpec().components().forEach(c -> ran.add(c.name() + "@" + c.digest()));
      if (!ran.equals(decided)) {
        violations.add(name + ": job " + job.getMetadata().getName() + " ran " + ran);
      }
    }
    String ended = p.getStatus().getTransitions().getLast().reason();
    List<Event> terminalEvents =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName()))
            .filter(e -> "Promotion".equals(e.getInvolvedObject().getKind()))
            .filter(e -> ended.equals(e.getReason()))
            .toList();
    if (terminalEvents.size() != 1 || terminalEvents.getFirst().getCount() != 1) {
      violations.add(name + ": its end (" + ended + ") has " + terminalEvents.size() + " Events");
    }
  }

  static JsonNode json(ConfigMap record, String key) {
    try {
      return CanonicalJson.MAPPER.readTree(record.getData().get(key));
    } catch (Exception e) {
      throw new AssertionError("unreadable decision record " + record.getMetadata().getName(), e);
    }
  }

  static java.security.PublicKey publicKey() {
    return PemKeys.parsePublicKey(
        client
            .configMaps()
            .inNamespace(PromotionTestSupport.SYSTEM)
            .withName(EvidenceSigningKey.CONFIG_MAP)
            .get()
            .getData()
            .get("cosign.pub"));
  }

  static String whoAmI() {
    return client
        .authentication()
        .v1()
        .selfSubjectReviews()
        .create(new SelfSubjectReview())
        .getStatus()
        .getUserInfo()
        .getUsername();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
