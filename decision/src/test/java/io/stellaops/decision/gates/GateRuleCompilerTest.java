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
}
