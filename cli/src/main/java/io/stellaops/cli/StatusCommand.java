package io.stellaops.cli;

import io.stellaops.crds.promotion.Promotion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "status",
    description = "Show a promotion: phase, gates, approvals, jobs, evidence.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.PROMOTION, description = "Promotion name.")
  String name;

  @Override
  public Integer call() {
    Promotion p =
        cli.client().resources(Promotion.class).inNamespace(cli.namespace()).withName(name).get();
    if (p == null) {
      return ApiErrors.notFound(cli.err(), "promotions.stellaops.io", name, cli.namespace());
    }
    var out = cli.out();
    var s = p.getStatus();
    out.printf("Promotion:   %s/%s%n", cli.namespace(), name);
    out.printf("Release:     %s -> %s%n", p.getSpec().release(), p.getSpec().environment());
    out.printf(
        "Requested:   %s%n",
        p.getSpec().requestedBy() == null ? "-" : p.getSpec().requestedBy().username());
    if (s == null || s.getPhase() == null) {
      out.println("Phase:       (not reconciled yet)");
      return 0;
    }
    out.printf("Phase:       %s%n", s.getPhase());
    // What holds the promotion, or why it ended, before the details
    out.printf("Why:         %s%n", ListCommand.why(s));
    if (s.getDecision() != null) {
      out.printf(
          "Decision:    %s  (inputs %s)%n", s.getDecision().result(), s.getDecision().inputsHash());
    }
    out.println("Gates:");
    s.getGates().forEach(g -> out.printf("  %-8s %-32s %s%n", g.result(), g.gate(), g.message()));
    if (s.getApprovals() != null) {
      var a = s.getApprovals();
      out.printf(
          "Approvals:   %d of %d  %s%n",
          a.approvedBy() == null ? 0 : a.approvedBy().size(),
          a.required(),
          a.approvedBy() == null ? "" : a.approvedBy());
      if (a.notCounted() != null) {
        a.notCounted().forEach(n -> out.printf("  not counted: %s%n", n));
      }
    }
    s.getJobs()
        .forEach(j ->
            out.printf(
                "Job:         %s on %s: %s%s%n",
                j.job(),
                j.target(),
                j.phase(),
                j.message() == null ? "" : " (" + j.message() + ")"));
    out.println("History:");
    s.getTransitions()
        .forEach(t -> out.printf("  %s  %-16s %s%n", t.time(), t.phase(), t.message()));
    if (s.getEvidence() != null) {
      out.printf(
          "Evidence:    %s  (kubectl stella evidence verify %s -n %s)%n",
          s.getEvidence(), s.getEvidence(), cli.namespace());
    }
    return 0;
  }
}
