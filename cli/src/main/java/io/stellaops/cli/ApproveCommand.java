package io.stellaops.cli;

import io.stellaops.crds.approval.ApprovalSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "approve",
    description = "Approve a promotion as yourself.")
final class ApproveCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.PROMOTION, description = "Promotion name.")
  String promotion;

  @Option(names = "--comment", description = "Optional comment.")
  String comment;

  @Override
  public Integer call() {
    return Approvals.create(cli, promotion, ApprovalSpec.Verdict.APPROVE, comment);
  }
}
