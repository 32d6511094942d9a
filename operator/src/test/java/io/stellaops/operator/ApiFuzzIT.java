package io.stellaops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.supplychain.fuzz.Fuzz;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.oci.LocalRegistry;
import io.stellaops.supplychain.oci.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Mutated specs of every kind users write, created through the real API server with the operator's
 * webhooks on ({@link Fuzz#mutateJson}: values of another type, huge numbers and strings, deep
 * nesting, keys dropped or repeated in another case). Every refusal must name the field it is about
 * and come from the schema, a CEL rule or the webhook — never a webhook failure (500) —, and every
 * object accepted must be reconciled to a status that says Ready or why not, with the operator's
 * reconciles never failing. {@code -Dstella.fuzz.cases=N} gives N/25 objects per kind (CI: 30); not
 * part of {@code hack/test.sh fuzz}, which runs the parsers only.
 */
@EnableKubeAPIServer
class ApiFuzzIT {
  static final String NS = "fuzz";
  static final int CASES = Integer.getInteger("stella.fuzz.cases", 750) / 25;
  static final long SEED = Long.getLong("stella.fuzz.seed", System.nanoTime());
  static final Set<String> RECONCILED =
      Set.of(
          "Release",
          "Environment",
          "Target",
          "Agent",
          "GatePolicy",
          "TrustPolicy",
          "AdvisoryFeed",
          "IlmClass",
          "Promotion",
          "Export");
  // a field path as the API server (spec.x, .spec.x) or the webhook (spec.x: …) names it
  static final Pattern FIELD = Pattern.compile("(^|[\\s\"\\[(.])(spec|metadata)(\\.|\\[|:| )");
  static KubernetesClient client;
  @KubeConfig static String kubeConfigYaml;

  @Test
  void everyRefusalNamesItsFieldAndEveryAcceptedObjectSettles() throws Exception {
    System.out.printf("api fuzz: seed %d, %d cases per kind%n", SEED, CASES);
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    KubeApiServerSupport.installCrd(client, "agents");
    try (var registry = LocalRegistry.start();
        var stella =
            LocalOperator.start(
                new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                    .build(),
                "stella-fuzz",
                Map.of())) {
      String image = registry.host() + "/fuzz/app";
      String digest = TestImages.push(image + ":1.0.0", "fuzz app 1.0.0");
      Map<String, JsonNode> corpus = corpus(image, digest);
      for (JsonNode seed : corpus.values()) {
        create(seed.deepCopy(), "seed"); // the unmutated ones exist, so references resolve
      }
      Random random = new Random(SEED);
      List<String> violations = new ArrayList<>();
      Map<String, int[]> outcomes = new TreeMap<>(); // kind → accepted, refused
      List<GenericKubernetesResource> accepted = new ArrayList<>();
      for (var entry : corpus.entrySet()) {
        String kind = entry.getKey();
        int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
        byte[] original = CanonicalJson.bytes(entry.getValue());
        for (int i = 0; i < CASES; i++) {
          byte[] mutated = Fuzz.mutateJson(random, original);
          if (mutated == null || mutated.length > 256 << 10) {
            continue; // the API server refuses requests of megabytes before anything of ours runs
          }
          JsonNode object = CanonicalJson.MAPPER.readTree(mutated);
          if (!(object instanceof ObjectNode)) {
            continue;
          }
          String name = kind.toLowerCase() + "-" + i;
          // what the request is about stays: a mutated kind would only be another URL
          ((ObjectNode) object).put("apiVersion", "stellaops.io/v1alpha1").put("kind", kind);
          try {
            accepted.add(create((ObjectNode) object, name));
            counts[0]++;
          } catch (KubernetesClientException e) {
            counts[1]++;
            String message = String.valueOf(e.getStatus() == null ? e : e.getStatus().getMessage());
            if (e.getCode() >= 500 || message.contains("failed calling webhook")) {
              violations.add(
                  kind + " " + name + ": the API answered " + e.getCode() + ": " + message);
            } else if (message.contains("couldn't get version/kind")) {
              // the API server's own decoding (it matches keys case-insensitively): no field yet
            } else if (!FIELD.matcher(message).find()) {
              violations.add(kind + " " + name + ": refused without naming a field: " + message);
            }
          } catch (IllegalArgumentException | IllegalStateException unsendable) {
            counts[1]++; // the client would not send it (a name no URL can hold)
          }
        }
      }
      System.out.printf("api fuzz: accepted/refused by kind %s%n", describe(outcomes));
      for (GenericKubernetesResource object : accepted) {
        if (RECONCILED.contains(object.getKind())) {
          settled(object, violations);
        }
      }
      String metrics = stella.get("/metrics").body();
      metrics
          .lines()
          .filter(l -> l.startsWith("stella_reconciles_total") && l.contains("result=\"failure\""))
          .filter(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0)
          .forEach(l -> violations.add("reconciles failed: " + l));
      assertThat(violations).as("violations (seed %d)", SEED).isEmpty();
    }
  }

  /** Creates {@code object} named {@code name} in its place, as its kind lives. */
  static GenericKubernetesResource create(ObjectNode object, String name) {
    String kind = object.path("kind").asText();
    ObjectNode metadata =
        object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    metadata.put("name", name.equals("seed") ? metadata.path("name").asText() : name);
    metadata.remove("namespace");
    var resource = CanonicalJson.MAPPER.convertValue(object, GenericKubernetesResource.class);
    boolean clusterScoped = Set.of("TrustPolicy", "AdvisoryFeed", "IlmClass").contains(kind);
    return clusterScoped
        ? client.resource(resource).create()
        : client.resource(resource).inNamespace(NS).create();
  }

  /** Reconciled within a minute to a status whose Ready condition says yes or why not. */
  static void settled(GenericKubernetesResource object, List<String> violations) {
    String kind = object.getKind();
    var resources = client.genericKubernetesResources(object.getApiVersion(), kind);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "no status";
    while (System.nanoTime() < deadline) {
      var now =
          object.getMetadata().getNamespace() == null
              ? resources.withName(object.getMetadata().getName()).get()
              : resources
                  .inNamespace(object.getMetadata().getNamespace())
                  .withName(object.getMetadata().getName())
                  .get();
      JsonNode status =
          CanonicalJson.MAPPER.valueToTree(now.getAdditionalProperties()).path("status");
      long generation = now.getMetadata().getGeneration();
      boolean observed = status.path("observedGeneration").asLong(-1) == generation;
      JsonNode ready = null;
      for (JsonNode c : status.path("conditions")) {
        if ("Ready".equals(c.path("type").asText())) {
          ready = c;
        }
      }
      if (observed && ready != null && !ready.path("reason").asText().isEmpty()) {
        return;
      }
      last = status.isMissingNode() ? "no status" : status.toString();
      OperatorKillChaosIT.sleep(500);
    }
    violations.add(
        kind
            + " "
            + object.getMetadata().getName()
            + ": not settled within 60 s: "
            + abbreviate(last));
  }

  static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  static String describe(Map<String, int[]> outcomes) {
    Map<String, String> shown = new LinkedHashMap<>();
    outcomes.forEach((kind, c) -> shown.put(kind, c[0] + "/" + c[1]));
    return shown.toString();
  }

  /** One valid object of each kind, as the docs' examples write them. */
  static Map<String, JsonNode> corpus(String image, String digest) throws Exception {
    String yaml =
        """
        apiVersion: stellaops.io/v1alpha1
        kind: IlmClass
        metadata: {name: fuzz-class}
        spec: {retention: 30d, appliesTo: [EvidencePacket, Promotion]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: TrustPolicy
        metadata: {name: fuzz-images}
        spec:
          images: ["registry.example.com/fuzz/**"]
          authorities:
            - name: ci
              key:
                publicKey: |
                  -----BEGIN PUBLIC KEY-----
                  MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeWG70LqgKbeYsBRiQ9etE6/C0i6+
                  Sgfnqkkn4wgFhnOY9RFtbdSRR0fow8hMzQ4HK81yY/v7uckDz4GMRYeFMQ==
                  -----END PUBLIC KEY-----
          mode: warn
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: AdvisoryFeed
        metadata: {name: fuzz-feed}
        spec:
          source: {path: /nonexistent/osv}
          refreshInterval: 1h
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: GatePolicy
        metadata: {name: fuzz-gates}
        spec:
          rules:
            - {name: final, expression: "!release.version.contains('-')", message: no prereleases}
          builtins:
            signaturesVerified: {action: warn}
            vulnerabilities:
              maxSeverity: high
              allow: [{id: CVE-2018-1000613, reason: not reachable, expires: "2027-01-01T00:00:00Z"}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: fuzz-env}
        spec:
          approvals: {required: 1, allowedUsers: [alice], allowSelfApproval: true, expiry: 8h}
          freezeWindows:
            - {name: weekends, schedule: "0 18 * * 5", duration: 60h, timeZone: Europe/Berlin}
          breakGlass: {allowedTypes: [Rollback], approvals: {required: 1, allowedUsers: [bob]}}
          gatePolicies: [fuzz-gates]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Export
        metadata: {name: fuzz-export}
        spec:
          profile: evidence
          selector: {environments: [fuzz-env], since: "2026-01-01T00:00:00Z"}
          repository: %1$s/fuzz/exports
          schedule: {cron: "0 2 * * *", timeZone: Europe/Berlin}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Export
        metadata: {name: fuzz-mirror}
        spec:
          profile: mirror
          selector: {releases: [fuzz-release]}
          delta: {export: fuzz-export}
          repository: %1$s/fuzz/mirrors
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Agent
        metadata: {name: fuzz-agent}
        spec: {serviceAccountName: fuzz-agent, capabilities: [docker]}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Target
        metadata: {name: fuzz-target}
        spec: {environment: fuzz-env, type: docker, agent: fuzz-agent, docker: {}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: fuzz-release}
        spec:
          version: 1.0.0
          components: [{name: app, image: %s, tag: 1.0.0, digest: %s}]
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Promotion
        metadata: {name: fuzz-promotion}
        spec: {release: fuzz-release, environment: fuzz-env, reason: fuzz}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Approval
        metadata: {name: fuzz-approval}
        spec: {promotion: fuzz-promotion, decision: approve, comment: fuzz}
        """
            .formatted(image, digest);
    Map<String, JsonNode> corpus = new LinkedHashMap<>();
    var documents = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml);
    while (documents.hasNext()) {
      JsonNode document = documents.next();
      corpus.put(document.path("kind").asText(), document);
    }
    return corpus;
  }
}
