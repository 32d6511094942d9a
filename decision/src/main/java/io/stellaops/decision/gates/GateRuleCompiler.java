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
 * Compiles a policy's CEL rules; reports every broken rule at once. {@link #check} holds them to
 * the decision input's declared types (a misspelt field, a comparison of mismatched types or a
 * non-boolean result is an error): the GatePolicy webhook and controller use it, so only rules that
 * pass it are Ready. Decisions compile with {@link #compile}, over untyped variables as they always
 * have, so every recorded decision replays to the same result whichever checks came later.
 */
public final class GateRuleCompiler {
  private static final CelCompiler COMPILER = compiler(false);
  private static final CelCompiler CHECKER = compiler(true);
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

  /** The rules as decisions evaluate them. */
  public static Result compile(List<GateRule> rules) {
    return compile(COMPILER, rules);
  }

  /** The rules type-checked against the decision input: what a Ready GatePolicy must pass. */
  public static Result check(List<GateRule> rules) {
    return compile(CHECKER, rules);
  }

  private static Result compile(CelCompiler compiler, List<GateRule> rules) {
    List<CompiledRule> compiled = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (GateRule rule : rules == null ? List.<GateRule>of() : rules) {
      try {
        var ast = compiler.compile(rule.expression()).getAst();
        compiled.add(new CompiledRule(rule, RUNTIME.createProgram(ast)));
      } catch (CelValidationException e) {
        errors.add("rule " + rule.name() + ": " + e.getMessage().strip());
      } catch (dev.cel.runtime.CelEvaluationException e) {
        errors.add("rule " + rule.name() + ": cannot be planned: " + e.getMessage());
      }
    }
    return new Result(List.copyOf(compiled), List.copyOf(errors));
  }

  private static CelCompiler compiler(boolean typed) {
    // The macros and string/list extensions Kubernetes' own CEL offers, so rules read alike.
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.lists())
            .setResultType(SimpleType.BOOL);
    CelTypes types = new CelTypes();
    CelInput.declarations(types)
        .forEach((name, type) ->
            builder.addVar(name, typed || type == SimpleType.TIMESTAMP ? type : SimpleType.DYN));
    return typed ? builder.setTypeProvider(types).build() : builder.build();
  }
}
