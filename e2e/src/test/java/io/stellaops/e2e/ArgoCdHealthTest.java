package io.stellaops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentStatus;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionStatus;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseStatus;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetStatus;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health checks in gitops/argocd run by a real Lua 5.4 interpreter against objects
 * whose status the controllers' own condition helpers wrote (kstatus: Ready, Reconciling, Stalled,
 * observedGeneration).
 */
class ArgoCdHealthTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  record Health(String status, String message) {}

  @Test
  void promotionsByPhase() throws Exception {
    assertThat(health(promotion(Phase.AwaitingApproval, "needs 2 approvals")).status())
        .isEqualTo("Suspended");
    assertThat(health(promotion(Phase.Denied, "upstream: not yet succeeded in stage")))
        .isEqualTo(new Health("Degraded", "Denied: upstream: not yet succeeded in stage"));
    assertThat(health(promotion(Phase.Failed, "target web failed")).status()).isEqualTo("Degraded");
    assertThat(health(promotion(Phase.RolledBack, "rolled back")).status()).isEqualTo("Degraded");
    assertThat(health(promotion(Phase.Deploying, "2 jobs running")).status())
        .isEqualTo("Progressing");
    assertThat(health(promotion(Phase.Succeeded, "deployed")).status()).isEqualTo("Healthy");

    Promotion unobserved = promotion(Phase.Succeeded, "deployed");
    unobserved.getMetadata().setGeneration(2L);
    assertThat(health(unobserved).status())
        .as("a spec change not yet seen")
        .isEqualTo("Progressing");
    assertThat(health(new Promotion()).status()).isEqualTo("Progressing");
  }

  @Test
  void releasesTargetsAndAgentsByTheirConditions() throws Exception {
    Release verified =
        with(
            new Release(),
            new ReleaseStatus(),
            s -> Conditions.ready(s, 1, "SignaturesVerified", "signed", NOW));
    assertThat(health(verified)).isEqualTo(new Health("Healthy", "signed"));
    Release unsigned =
        with(
            new Release(),
            new ReleaseStatus(),
            s -> {
              Conditions.set(
                  s,
                  Conditions.condition(
                      ConditionTypes.VERIFIED,
                      Condition.Status.FALSE,
                      "SignatureNotVerified",
                      "api: unsigned",
                      1),
                  NOW);
              Conditions.stalled(s, 1, "SignatureNotVerified", "api: unsigned", NOW);
            });
    assertThat(health(unsigned)).isEqualTo(new Health("Degraded", "api: unsigned"));

    Target drifted =
        with(
            new Target(),
            new TargetStatus(),
            s -> {
              Conditions.ready(s, 1, "Running", "runs what was deployed", NOW);
              Conditions.set(
                  s,
                  Conditions.condition(
                      ConditionTypes.DRIFTED,
                      Condition.Status.TRUE,
                      "DigestChanged",
                      "web runs sha256:aa",
                      1),
                  NOW);
            });
    assertThat(health(drifted)).isEqualTo(new Health("Degraded", "Drifted: web runs sha256:aa"));
    Target deploying =
        with(
            new Target(),
            new TargetStatus(),
            s -> Conditions.reconciling(s, 1, "Deploying", "job r1-web", NOW));
    assertThat(health(deploying)).isEqualTo(new Health("Progressing", "job r1-web"));

    Agent lost =
        with(
            new Agent(),
            new AgentStatus(),
            s -> Conditions.stalled(s, 1, "HeartbeatMissed", "no heartbeat for 45s", NOW));
    assertThat(health(lost)).isEqualTo(new Health("Degraded", "no heartbeat for 45s"));
    Agent alive =
        with(
            new Agent(),
            new AgentStatus(),
            s -> Conditions.ready(s, 1, "Heartbeat", "renewed 3s ago", NOW));
    assertThat(health(alive).status()).isEqualTo("Healthy");
    assertThat(health(new Agent()).status()).isEqualTo("Progressing");
  }

  interface StatusWriter<S> {
    void write(S status);
  }

  static <T extends CustomResource<?, S>, S extends StellaStatus> T with(
      T resource, S status, StatusWriter<S> writer) {
    resource.getMetadata().setName("sample");
    resource.getMetadata().setGeneration(1L);
    writer.write(status);
    resource.setStatus(status);
    return resource;
  }

  static Promotion promotion(Phase phase, String message) {
    Promotion p = new Promotion();
    p.getMetadata().setName("shop-to-prod");
    p.getMetadata().setGeneration(1L);
    PromotionStatus status = new PromotionStatus();
    status.setPhase(phase);
    status.setObservedGeneration(1L);
    status.setTransitions(List.of(new Transition(phase, NOW.toString(), phase.name(), message)));
    p.setStatus(status);
    return p;
  }

  /** Runs the kind's health.lua with {@code obj} set, as Argo CD does. */
  static Health health(CustomResource<?, ?> resource) throws Exception {
    Path script =
        Path.of("..", "gitops", "argocd", "stellaops.io", resource.getKind(), "health.lua");
    JsonNode json = CanonicalJson.MAPPER.valueToTree(resource);
    Process lua =
        new ProcessBuilder(
                System.getenv().getOrDefault("STELLA_LUA", "lua5.4"),
                "-e",
                "obj = " + lua(json),
                "-e",
                "local hs = dofile('"
                    + script.toAbsolutePath()
                    + "') io.write(hs.status, '\\n', hs.message or '')")
            .redirectErrorStream(true)
            .start();
    String out = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lua.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(lua.exitValue()).as(out).isZero();
    String[] lines = out.split("\n", 2);
    return new Health(lines[0], lines.length > 1 ? lines[1] : "");
  }

  /** A JSON value as a Lua table constructor, the shape Argo CD hands its scripts. */
  static String lua(JsonNode node) {
    if (node == null || node.isNull()) {
      return "nil";
    }
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        out.append('[')
            .append(string(e.getKey()))
            .append("]=")
            .append(lua(e.getValue()))
            .append(',');
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("{");
      node.forEach(v -> out.append(lua(v)).append(','));
      return out.append('}').toString();
    }
    if (node.isTextual()) {
      return string(node.asText());
    }
    return node.toString();
  }

  static String string(String s) {
    return "\""
        + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
        + "\"";
  }
}
