package io.stellaops.decision.gates;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.gatepolicy.GateRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRuleCompilerTest {
  private static GateRule rule(String name, String expression) {
    return new GateRule(name, expression, "failed", GateAction.BLOCK);
  }

  @Test
  void compilesRulesOverTheDecisionInput() throws Exception {
    var result =
        GateRuleCompiler.compile(
            List.of(
                rule("no-prereleases", "!release.version.contains('-')"),
                rule("signed", "release.components.all(c, c.signature == 'Verified')")));
    assertThat(result.errors()).isEmpty();
    var input =
        Map.<String, Object>of(
            "release",
            Map.of("version", "1.4.2", "components", List.of(Map.of("signature", "Verified"))),
            "environment",
            Map.of(),
            "promotion",
            Map.of(),
            "approvals",
            Map.of(),
            "now",
            com.google.protobuf.Timestamp.getDefaultInstance());
    assertThat(result.rules()).allSatisfy(r -> assertThat(r.program().eval(input)).isEqualTo(true));
  }

  @Test
  void namesEveryBrokenRule() {
    var result =
        GateRuleCompiler.compile(
            List.of(
                rule("typo", "relase.version == '1.0.0'"),
                rule("fine", "size(release.components) < 5"),
                rule("syntax", "release.version ==")));
    assertThat(result.rules()).extracting(r -> r.rule().name()).containsExactly("fine");
    assertThat(result.errors()).hasSize(2);
    assertThat(result.errors().get(0))
        .startsWith("rule typo: ")
        .contains("undeclared reference to 'relase'");
    assertThat(result.errors().get(1)).startsWith("rule syntax: ");
  }

  @Test
  void rejectsRulesThatAreNotBoolean() {
    var result = GateRuleCompiler.compile(List.of(rule("count", "size('abc')")));
    assertThat(result.errors()).singleElement().asString().startsWith("rule count: ");
  }

  @Test
  void reportsMisspeltFieldsWithACaret() {
    var result =
        GateRuleCompiler.check(
            List.of(
                rule("field", "release.verison == '1.0.0'"),
                rule("nested", "release.components.all(c, c.findings.critcal == 0)"),
                rule("requester", "'ops' in promotion.requestedBy.group")));
    assertThat(result.rules()).isEmpty();
    assertThat(result.errors().get(0))
        .startsWith("rule field: ")
        .contains("undefined field 'verison'")
        .contains("^");
    assertThat(result.errors().get(1)).contains("undefined field 'critcal'");
    assertThat(result.errors().get(2)).contains("undefined field 'group'");
  }

  @Test
  void reportsMismatchedTypesAndResults() {
    var result =
        GateRuleCompiler.check(
            List.of(
                rule("string-result", "release.version"),
                rule("count-vs-string", "release.components.all(c, c.findings.critical == 'none')"),
                rule("list-result", "promotion.requestedBy.groups"),
                rule("approvals", "approvals.required > '2'")));
    assertThat(result.rules()).isEmpty();
    assertThat(result.errors()).hasSize(4);
    assertThat(result.errors().get(0)).startsWith("rule string-result: ").contains("bool");
    assertThat(result.errors().get(1)).contains("no matching overload");
    assertThat(result.errors().get(3)).contains("no matching overload");
  }

  @Test
  void typedRulesEvaluateOnTheDecisionInput() throws Exception {
    var result =
        GateRuleCompiler.check(
            List.of(
                rule(
                    "findings",
                    "release.components.all(c, has(c.findings) && c.findings.critical == 0)"),
                rule(
                    "provenance",
                    "release.components.all(c, !has(c.provenance) || c.provenance.builderId != '')"),
                rule("upstream", "environment.upstreamSucceededAt.all(e, e != '')"),
                rule("approvals", "approvals.required >= 0 && size(approvals.approvedBy) >= 0"),
                rule(
                    "requester",
                    "promotion.requestedBy.username != '' && !has(promotion.breakGlass)"),
                rule("weekday", "now.getDayOfWeek() >= 0")));
    assertThat(result.errors()).isEmpty();
    var input =
        Map.<String, Object>of(
            "release",
            Map.of(
                "version",
                "1.4.2",
                "components",
                List.of(Map.of("name", "api", "findings", Map.of("critical", 0L)))),
            "environment",
            Map.of("name", "prod", "upstreamSucceededAt", Map.of("stage", "2026-11-23T10:00:00Z")),
            "promotion",
            Map.of("name", "p", "requestedBy", Map.of("username", "dev")),
            "approvals",
            Map.of("required", 1L, "approvedBy", List.of("ann"), "rejectedBy", List.of()),
            "now",
            com.google.protobuf.Timestamp.getDefaultInstance());
    assertThat(result.rules()).allSatisfy(r -> assertThat(r.program().eval(input)).isEqualTo(true));
  }

  @Test
  void theDocumentedExamplesTypeCheck() throws Exception {
    String policy = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/policy.md"));
    var block =
        java.util.regex.Pattern.compile("```cel\\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(policy);
    assertThat(block.find()).as("docs/policy.md has a cel example block").isTrue();
    List<GateRule> examples =
        block
            .group(1)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("//"))
            .map(l -> rule("example", l))
            .toList();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
    assertThat(GateRuleCompiler.check(examples).errors()).isEmpty();
  }

  @Test
  void decisionsCompileRulesAsTheyAlwaysHave() {
    // recorded before rules were type-checked: it must still compile (and replay) the same
    var rule = rule("legacy", "release.components.all(c, c.findings.critical == 0.0)");
    assertThat(GateRuleCompiler.compile(List.of(rule)).errors()).isEmpty();
    assertThat(GateRuleCompiler.check(List.of(rule)).errors())
        .singleElement()
        .asString()
        .contains("no matching overload");
  }
}
