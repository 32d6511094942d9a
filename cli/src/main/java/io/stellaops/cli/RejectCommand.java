package io.stellaops.cli;

import io.stellaops.crds.approval.ApprovalSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "reject",
    description = "Reject a promotion (vetoes it).")
final class RejectCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.PROMOTION, description = "Promotion name.")
  String promotion;

  @Option(names = "--comment", required = true, description = "Why.")
  String comment;

  @Override
  public Integer call() {
    return Approvals.create(cli, promotion, ApprovalSpec.Verdict.REJECT, comment);
  }
}
