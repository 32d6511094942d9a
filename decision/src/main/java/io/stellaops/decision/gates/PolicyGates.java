package io.stellaops.decision.gates;

import io.stellaops.crds.common.GateAction;
import io.stellaops.crds.gatepolicy.BuiltinGates;
import io.stellaops.crds.gatepolicy.ProvenanceGate;
import io.stellaops.crds.gatepolicy.VulnerabilityGate;
import io.stellaops.crds.promotion.GateResult;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.decision.DecisionInput;
import io.stellaops.decision.DecisionInput.ComponentInput;
import io.stellaops.decision.DecisionInput.PolicyInput;
import io.stellaops.supplychain.findings.FindingsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/** The gates of the environment's GatePolicies: built-in checks and CEL rules. */
public final class PolicyGates {
  private PolicyGates() {}

  public static List<GateResult> evaluate(
      List<String> policyNames, DecisionInput in, Map<String, Object> celInput) {
    List<GateResult> results = new ArrayList<>();
    for (String name : policyNames == null ? List.<String>of() : policyNames) {
      PolicyInput policy =
          in.gatePolicies().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
      if (policy == null || policy.spec() == null) {
        results.add(
            GateResults.error(name, "GatePolicy " + name + " does not exist in this namespace"));
        continue;
      }
      if (!policy.ready()) {
        results.add(
            GateResults.error(
                name, "GatePolicy " + name + " is not Ready; see its status conditions"));
        continue;
      }
      builtins(name, policy.spec().builtins(), in.release().components(), in.now(), results);
      rules(name, policy, celInput, results);
    }
    return results;
  }

  private static void builtins(
      String policy,
      BuiltinGates b,
      List<ComponentInput> components,
      String now,
      List<GateResult> out) {
    if (b == null) {
      return;
    }
    if (b.signaturesVerified() != null) {
      out.add(
          everyComponent(
              policy + "/signatures",
              b.signaturesVerified().action(),
              components,
              c -> "Verified".equals(c.signature()),
              "signature verified",
              "signature not verified"));
    }
    if (b.sbomPresent() != null) {
      out.add(
          everyComponent(
              policy + "/sbom",
              b.sbomPresent().action(),
              components,
              c -> c.sbomDigest() != null,
              "SBOM present",
              "no SBOM"));
    }
    if (b.provenance() != null) {
      out.add(provenance(policy + "/provenance", b.provenance(), components));
    }
    if (b.vulnerabilities() != null) {
      out.add(vulnerabilities(policy + "/vulnerabilities", b.vulnerabilities(), components, now));
    }
  }

  private static GateResult everyComponent(
      String gate,
      GateAction action,
      List<ComponentInput> components,
      Predicate<ComponentInput> ok,
      String good,
      String bad) {
    List<String> failing =
        components.stream().filter(ok.negate()).map(ComponentInput::name).toList();
    if (components.isEmpty()) {
      return GateResults.error(gate, "the release has no components");
    }
    return failing.isEmpty()
        ? GateResults.pass(gate, good + " for every component")
        : GateResults.failed(gate, action, bad + ": " + String.join(", ", failing));
  }

  /**
   * Every component carries verified SLSA provenance whose builder, source repository and ref the
   * allow-lists name (an empty list allows any).
   */
  private static GateResult provenance(
      String gate, ProvenanceGate g, List<ComponentInput> components) {
    if (components.isEmpty()) {
      return GateResults.error(gate, "the release has no components");
    }
    List<String> problems = new ArrayList<>();
    for (ComponentInput c : components) {
      ProvenanceSummary p = c.provenance();
      if (p == null) {
        problems.add(
            c.name()
                + ": no verified SLSA provenance (a TrustPolicy covering "
                + c.image()
                + " must require the https://slsa.dev/provenance/v1 attestation)");
        continue;
      }
      allowed(c.name(), "builder", p.builderId(), g.builders(), problems);
      allowed(
          c.name(), "source repository", p.sourceRepository(), g.sourceRepositories(), problems);
      allowed(c.name(), "source ref", p.sourceRef(), g.sourceRefs(), problems);
    }
    return problems.isEmpty()
        ? GateResults.pass(gate, "verified provenance from an allowed builder and source")
        : GateResults.failed(gate, g.action(), String.join("; ", problems));
  }

  private static void allowed(
      String component, String what, String value, List<String> patterns, List<String> problems) {
    if (patterns == null || patterns.isEmpty()) {
      return;
    }
    if (value == null) {
      problems.add(component + ": the provenance names no " + what);
    } else if (patterns.stream().noneMatch(p -> Wildcards.matches(p, value))) {
      problems.add(component + ": " + what + " " + value + " is not allowed " + patterns);
    }
  }

  /**
   * Open findings above {@code maxSeverity} fail the gate, unless allow-listed (by id or alias,
   * until the entry expires) or, with {@code fixableOnly}, without a fixed version.
   */
  private static GateResult vulnerabilities(
      String gate, VulnerabilityGate g, List<ComponentInput> components, String now) {
    List<String> problems = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    for (ComponentInput c : components) {
      FindingsSummary f = c.findings();
      if (f == null) {
        return GateResults.error(
            gate,
            "no vulnerability findings for component "
                + c.name()
                + (c.sbomDigest() == null
                    ? " (it has no SBOM attestation)"
                    : " (no AdvisoryFeed is loaded; see kubectl get advisoryfeeds)"));
      }
      String notChecked = unchecked(g, f, accepted);
      if (notChecked != null) {
        problems.add(c.name() + ": " + notChecked);
      }
      if (f.open() == null) {
        int above = countAbove(f, g.maxSeverity());
        if (above > 0) {
          problems.add(c.name() + ": " + above + " finding(s) above " + name(g.maxSeverity()));
        }
        continue;
      }
      List<String> blocking = new ArrayList<>();
      for (FindingsSummary.OpenFinding o : f.open()) {
        if (severityRank(o.severity()) <= g.maxSeverity().ordinal()) {
          continue;
        }
        if (Boolean.TRUE.equals(g.fixableOnly())
            && (o.fixedIn() == null || o.fixedIn().isEmpty())) {
          continue;
        }
        var allowed = allowance(g, o, now);
        if (allowed != null) {
          accepted.add(o.id() + " (" + allowed.reason() + ", until " + allowed.expires() + ")");
          continue;
        }
        blocking.add(
            o.id()
                + " "
                + o.severity()
                + " in "
                + o.purl()
                + (o.fixedIn() == null || o.fixedIn().isEmpty()
                    ? ""
                    : " (fixed in " + String.join(", ", o.fixedIn()) + ")"));
      }
      if (Boolean.TRUE.equals(f.truncated()) && blocking.isEmpty()) {
        int above = countAbove(f, g.maxSeverity());
        if (above > f.open().size()) {
          blocking.add(above + " findings above " + name(g.maxSeverity()) + ", more than listed");
        }
      }
      if (!blocking.isEmpty()) {
        problems.add(c.name() + ": " + String.join(", ", blocking));
      }
    }
    String acceptedNote = accepted.isEmpty() ? "" : "; accepted: " + String.join(", ", accepted);
    return problems.isEmpty()
        ? GateResults.pass(gate, "no open findings above " + name(g.maxSeverity()) + acceptedNote)
        : GateResults.failed(gate, g.action(), String.join("; ", problems) + acceptedNote);
  }

  /**
   * Why the packages no feed could check fail the gate, null when none does; those {@code
   * allowUnchecked} names are noted in {@code accepted}. Components without a package URL are not
   * packages advisories could name, and never count.
   */
  private static String unchecked(VulnerabilityGate g, FindingsSummary f, List<String> accepted) {
    if (f.unchecked() == null) {
      return null;
    }
    List<String> failing = new ArrayList<>();
    for (var group : new java.util.TreeMap<>(f.unchecked()).entrySet()) {
      if (group.getKey().equals(FindingsReport.NO_PACKAGE_URL)) {
        continue;
      }
      String counted = group.getKey() + " (" + group.getValue() + ")";
      if (allowsUnchecked(g, group.getKey())) {
        accepted.add("unchecked " + counted + " by allowUnchecked");
      } else {
        failing.add(counted);
      }
    }
    return failing.isEmpty()
        ? null
        : "packages not checked, no loaded AdvisoryFeed covers them: "
            + String.join(", ", failing)
            + " (load a feed for them, or name them in vulnerabilities.allowUnchecked)";
  }

  /** Whether {@code allowUnchecked} names the group, or its ecosystem without the release. */
  private static boolean allowsUnchecked(VulnerabilityGate g, String group) {
    if (g.allowUnchecked() == null) {
      return false;
    }
    for (String allowed : g.allowUnchecked()) {
      if (group.equals(allowed) || group.startsWith(allowed + ":")) {
        return true;
      }
    }
    return false;
  }

  /** Whether an allow-list entry expiring at {@code expires} applies at {@code now}. */
  private static boolean stillApplies(String expires, String now) {
    try {
      return java.time.Instant.parse(expires).isAfter(java.time.Instant.parse(now));
    } catch (java.time.DateTimeException e) {
      return false; // its schema admits 2027-02-31: an entry whose end cannot be read never applies
    }
  }

  private static VulnerabilityGate.AllowedAdvisory allowance(
      VulnerabilityGate g, FindingsSummary.OpenFinding o, String now) {
    if (g.allow() == null) {
      return null;
    }
    for (var a : g.allow()) {
      boolean named =
          a.id().equals(o.id()) || (o.aliases() != null && o.aliases().contains(a.id()));
      boolean current = now == null || stillApplies(a.expires(), now);
      if (named && current) {
        return a;
      }
    }
    return null;
  }

  /**
   * Ordinal of a finding's severity on the gate's scale (none=0 … critical=4). A finding without a
   * severity counts as low: only {@code maxSeverity: none} blocks it.
   */
  private static int severityRank(String severity) {
    return switch (severity == null ? "" : severity) {
      case "low", "unknown" -> 1;
      case "medium" -> 2;
      case "high" -> 3;
      case "critical" -> 4;
      default -> 1;
    };
  }

  private static String name(VulnerabilityGate.Severity s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static int countAbove(FindingsSummary f, VulnerabilityGate.Severity max) {
    int[] bySeverity = {0, n(f.low()), n(f.medium()), n(f.high()), n(f.critical())};
    int count = 0;
    for (int level = max.ordinal() + 1; level < bySeverity.length; level++) {
      count += bySeverity[level];
    }
    return count;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static void rules(
      String policyName, PolicyInput policy, Map<String, Object> celInput, List<GateResult> out) {
    var compiled = GateRuleCompiler.compile(policy.spec().rules());
    for (String error : compiled.errors()) {
      out.add(GateResults.error(policyName, error));
    }
    for (var rule : compiled.rules()) {
      String gate = policyName + "/" + rule.rule().name();
      try {
        Object value = rule.program().eval(celInput);
        out.add(
            Objects.equals(value, Boolean.TRUE)
                ? GateResults.pass(gate, "rule holds")
                : GateResults.failed(gate, rule.rule().action(), rule.rule().message()));
      } catch (dev.cel.runtime.CelEvaluationException e) {
        out.add(GateResults.error(gate, "rule could not be evaluated: " + e.getMessage()));
      }
    }
  }
}
