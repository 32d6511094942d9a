package io.stellaops.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stellaops.crds.gatepolicy.GateRule;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.decision.evidence.PromotionEvidence;
import io.stellaops.decision.gates.GateRuleCompiler;
import io.stellaops.supplychain.fuzz.Fuzz;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The decision's outside inputs, fuzzed ({@link Fuzz}): recorded decision inputs as evidence replay
 * reads them, evidence packets as an auditor verifies them, and CEL rules as a GatePolicy brings
 * them. Deciding, verifying and compiling may refuse with their typed failures only.
 */
class DecisionFuzzTest {
  private static final ObjectMapper YAML = new YAMLMapper();

  /** A promotion into an environment with every kind of rule, as the controller records it. */
  static final String INPUTS =
      """
      promotion:
        name: api-2-to-prod
        namespace: shop
        requestedBy: {username: dev@example.com, groups: [developers]}
        reason: nightly
        breakGlass: {type: SecurityFix, justification: CVE fix}
        requestedAt: "2026-11-23T09:59:00Z"
      release:
        name: api-2
        version: 2.0.0
        components:
          - name: api
            image: registry.example.com/shop/api
            digest: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            tag: 2.0.0
            signature: Verified
            verifiedBy: shop-images/ci
            sbomDigest: sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
            findings:
              checked: 12
              unchecked: {"Debian:12": 3}
              critical: 0
              high: 1
              medium: 2
              low: 0
              unknown: 0
              suppressed: 1
              feedDigest: osv@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
              open:
                - {id: GHSA-4446-656p-f54g, aliases: [CVE-2018-1000613], severity: high,
                   purl: "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.59", fixedIn: ["1.60"]}
            provenance:
              predicateType: https://slsa.dev/provenance/v1
              builderId: https://github.com/actions/runner
              sourceRepository: https://github.com/shop/api
              sourceRef: refs/heads/main
      environment:
        name: prod
        spec:
          upstream: {environments: [stage], mode: AllOf, soakTime: 1h}
          approvals: {required: 2, allowedGroups: [release-managers], expiry: 8h}
          freezeWindows:
            - {name: year-end, start: "2026-12-20T00:00:00Z", end: "2027-01-02T00:00:00Z"}
            - {name: weekends, schedule: "0 18 * * 5", duration: 60h, timeZone: Europe/Berlin}
          breakGlass: {allowedTypes: [SecurityFix], approvals: {required: 1}}
          gatePolicies: [security]
          historyLimit: 10
        upstreamSucceededAt: {stage: "2026-11-22T08:00:00Z"}
      approvals:
        - name: by-alice
          approver: {username: alice, groups: [release-managers]}
          decision: approve
          subject: {release: api-2, environment: prod, digestsHash: sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd}
          createdAt: "2026-11-23T09:59:30Z"
      gatePolicies:
        - name: security
          ready: true
          policyDigest: sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
          spec:
            rules:
              - {name: no-prereleases, expression: "!release.version.contains('-')", message: prerelease, action: block}
              - {name: few-highs, expression: "release.components.all(c, c.findings.high < 3)", message: highs, action: warn}
            builtins:
              signaturesVerified: {action: block}
              sbomPresent: {action: block}
              provenance: {builders: ["https://github.com/actions/*"], action: block}
              vulnerabilities:
                maxSeverity: high
                fixableOnly: true
                allowUnchecked: [Debian]
                allow: [{id: CVE-2018-1000613, reason: not reachable, expires: "2027-01-01T00:00:00Z"}]
                action: block
      now: "2026-11-23T10:00:00Z"
      """;

  static byte[] inputsJson() throws IOException {
    DecisionInput in = YAML.readValue(INPUTS, DecisionInput.class);
    assertThat(PromotionDecider.decide(in).gates()).hasSizeGreaterThan(5);
    return CanonicalJson.bytes(in);
  }

  @Test
  void decidingRecordedInputs() throws Exception {
    var report =
        Fuzz.run(
            "PromotionDecider.decide",
            List.of(inputsJson()),
            // IOException: not a DecisionInput at all (JSON, types, a required part missing)
            Set.of(IOException.class),
            bytes ->
                PromotionDecider.decide(
                    CanonicalJson.MAPPER.readValue(bytes, DecisionInput.class)));
    assertThat(report.accepted()).isPositive();
  }

  @Test
  void verifyingAndReplayingEvidencePackets() throws Exception {
    var keys = PemKeys.generateP256();
    DecisionInput in = CanonicalJson.MAPPER.readValue(inputsJson(), DecisionInput.class);
    var packet =
        PromotionEvidence.build(
            new PromotionEvidence.Predicate(
                "shop",
                "api-2-to-prod",
                in,
                PromotionDecider.decide(in),
                new PromotionEvidence.Timestamps(in.now(), in.now(), null, null),
                List.of(),
                "Denied"),
            "default",
            keys.getPrivate(),
            "stella");
    byte[] json = CanonicalJson.bytes(packet);
    var report =
        Fuzz.run(
            "EvidenceVerifier.verify + replay",
            List.of(json),
            Set.of(IOException.class, IllegalArgumentException.class),
            bytes -> {
              var read =
                  CanonicalJson.MAPPER.readValue(
                      bytes, io.stellaops.crds.evidencepacket.EvidencePacket.class);
              var verified = EvidenceVerifier.verify(read.getSpec(), keys.getPublic());
              if (verified.problems().isEmpty()) {
                EvidenceVerifier.replay(verified.statement());
              }
            });
    assertThat(report.accepted()).isPositive();
    // replay of inputs that verify but were never the operator's: signed here after mutation
    JsonNode statement =
        EvidenceVerifier.verify(packet.getSpec(), keys.getPublic()).statement().deepCopy();
    Fuzz.run(
        "EvidenceVerifier.replay (mutated inputs)",
        List.of(inputsJson()),
        Set.of(IOException.class, IllegalArgumentException.class),
        bytes -> {
          ((com.fasterxml.jackson.databind.node.ObjectNode) statement.get("predicate"))
              .set("inputs", CanonicalJson.MAPPER.readTree(bytes));
          EvidenceVerifier.replay(statement);
        });
  }

  @Test
  void compilingCelRules() {
    List<byte[]> rules =
        Stream.of(
                "release.components.all(c, c.signature == 'Verified')",
                "!release.version.contains('-') && environment.name == 'prod'",
                "release.components.exists(c, c.findings.critical > 0 || has(c.provenance))",
                "size(approvals) >= 2 ? true : promotion.reason.matches('^hotfix-[0-9]+$')",
                "timestamp(now) < timestamp('2027-01-01T00:00:00Z')")
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .toList();
    var report =
        Fuzz.run(
            "GateRuleCompiler.compile",
            rules,
            Set.of(),
            bytes -> {
              var result =
                  GateRuleCompiler.compile(
                      List.of(
                          new GateRule(
                              "r", new String(bytes, StandardCharsets.UTF_8), "failed", null)));
              if (result.errors().isEmpty() == result.rules().isEmpty()) {
                throw new AssertionError("neither compiled nor an error: " + result);
              }
            });
    assertThat(report.accepted()).isEqualTo(report.cases());
  }
}
