package io.stellaops.decision.gates;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.stellaops.crds.gatepolicy.GateRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a policy's CEL rules against the decision input's declared types (a misspelt field, a
 * comparison of mismatched types or a non-boolean result is an error); reports every broken rule at
 * once.
 */
public final class GateRuleCompiler {
  private static final CelCompiler COMPILER = compiler();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .addLibraries(CelExtensions.strings(), CelExtensions.lists())
          .build();

  private GateRuleCompiler() {}

  /** A rule ready to evaluate. */
  public record CompiledRule(GateRule rule, CelRuntime.Program program) {}

  /** The compiled rules, or one message per rule that failed, naming it. */
  public record Result(List<CompiledRule> rules, List<String> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result compile(List<GateRule> rules) {
    List<CompiledRule> compiled = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (GateRule rule : rules == null ? List.<GateRule>of() : rules) {
      try {
        var ast = COMPILER.compile(rule.expression()).getAst();
        compiled.add(new CompiledRule(rule, RUNTIME.createProgram(ast)));
      } catch (CelValidationException e) {
        errors.add("rule " + rule.name() + ": " + e.getMessage().strip());
      } catch (dev.cel.runtime.CelEvaluationException e) {
        errors.add("rule " + rule.name() + ": cannot be planned: " + e.getMessage());
      }
    }
    return new Result(List.copyOf(compiled), List.copyOf(errors));
  }

  private static CelCompiler compiler() {
    // The macros and string/list extensions Kubernetes' own CEL offers, so rules read alike.
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.lists())
            .setResultType(SimpleType.BOOL);
    CelTypes types = new CelTypes();
    CelInput.declarations(types).forEach(builder::addVar);
    return builder.setTypeProvider(types).build();
  }
}
