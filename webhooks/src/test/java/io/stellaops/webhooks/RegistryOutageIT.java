package io.stellaops.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.release.Release;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import io.stellaops.webhooks.release.ReleaseAdmission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry goes away during admission, by a seeded schedule: killed (nothing listens), frozen
 * (SIGSTOP: connections are accepted, nothing answers) or back. Releases created by tag meanwhile
 * are denied within the admission deadline with a message that says what to check, never admitted
 * without a digest; once the registry is back, the next one is admitted, with no restart of
 * anything. Seeded: {@code -Dstella.chaos.seed} reruns a schedule, {@code
 * -Dstella.chaos.outageSteps} sizes it (CI: 8).
 */
@EnableKubeAPIServer
class RegistryOutageIT {
  static final long SEED = Long.getLong("stella.chaos.seed", System.nanoTime());
  static final int STEPS = Integer.getInteger("stella.chaos.outageSteps", 8);
  static final Duration DEADLINE = Duration.ofSeconds(3);
  static final String NS = "shop";
  static KubernetesClient client;
  static LocalRegistry registry;
  static AdmissionServer server;
  static String digest;

  enum State {
    UP,
    KILLED,
    FROZEN
  }

  @BeforeAll
  static void setUp() throws Exception {
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    registry = LocalRegistry.start();
    digest = TestImages.push(registry.host() + "/shop/api:2.0.0", "shop api 2.0.0");
    server =
        LoopbackAdmission.start(
            client,
            Map.of(ReleaseAdmission.PATH, LoopbackAdmission.releaseAdmission(client)),
            false,
            DEADLINE);
  }

  @AfterAll
  static void tearDown() throws Exception {
    server.close();
    registry.resume();
    registry.close();
  }

  @Test
  void deniesWithinTheDeadlineWhileTheRegistryIsAwayAndRecoversByItself() throws Exception {
    System.out.printf(
        "registry outage: seed %d, %d steps (rerun with -Dstella.chaos.seed=%d)%n",
        SEED, STEPS, SEED);
    Random random = new Random(SEED);
    try (var kubectl = // answers as kubectl sees them: no retries of a 5xx
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      run(kubectl, random);
    }
  }

  void run(KubernetesClient kubectl, Random random) throws Exception {
    List<String> violations = new ArrayList<>();
    State state = State.UP;
    long slowest = 0;
    for (int step = 0; step < STEPS; step++) {
      State next = step == 0 || step == STEPS - 1 ? State.UP : State.values()[random.nextInt(3)];
      state = move(state, next);
      String name = "r-" + step;
      long started = System.nanoTime();
      String refusal = null;
      try {
        kubectl
            .resource(
                LoopbackAdmission.releaseYaml(NS, name, registry.host() + "/shop/api", "2.0.0"))
            .create();
      } catch (KubernetesClientException e) {
        refusal = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      slowest = Math.max(slowest, millis);
      Release stored = client.resources(Release.class).inNamespace(NS).withName(name).get();
      String where = "step " + step + " (" + state + ", " + millis + " ms): ";
      if (millis > DEADLINE.toMillis() + 1500) {
        violations.add(where + "answered after the deadline of " + DEADLINE.toMillis() + " ms");
      }
      switch (state) {
        case UP -> {
          if (stored == null || !digest.equals(stored.getSpec().components().getFirst().digest())) {
            violations.add(where + "not admitted with the tag's digest: " + refusal);
          }
        }
        case KILLED, FROZEN -> {
          if (stored != null) {
            violations.add(where + "admitted while the registry was away: " + stored.getSpec());
          } else if (refusal == null || !refusal.contains(expected(state))) {
            violations.add(where + "refused without saying why: " + refusal);
          }
        }
      }
    }
    System.out.printf("registry outage: slowest answer %d ms%n", slowest);
    assertThat(violations).isEmpty();
  }

  static String expected(State state) {
    return state == State.KILLED
        ? "cannot reach " + registry.host() + ": connection refused"
        : "within " + DEADLINE.toSeconds() + "s (" + registry.host() + " did not answer in time)";
  }

  static State move(State from, State to) throws Exception {
    if (from == to) {
      return to;
    }
    if (from == State.FROZEN) {
      registry.resume();
    }
    if (from == State.KILLED) {
      registry.recover();
    }
    if (to == State.KILLED) {
      registry.kill();
    }
    if (to == State.FROZEN) {
      registry.freeze();
    }
    return to;
  }
}
