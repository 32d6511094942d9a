package io.stellaops.cli;

import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.approval.ApprovalSpec;

/** Creates an Approval; the webhook stamps who approved and what exactly. */
final class Approvals {
  private Approvals() {}

  static int create(StellaCli cli, String promotion, ApprovalSpec.Verdict verdict, String comment) {
    Approval a = new Approval();
    a.getMetadata().setGenerateName(promotion + "-");
    a.getMetadata().setNamespace(cli.namespace());
    a.setSpec(new ApprovalSpec(promotion, verdict, comment, null, null));
    Approval created = cli.client().resource(a).create();
    cli.out()
        .println(
            "approval.stellaops.io/"
                + created.getMetadata().getName()
                + " created: "
                + created.getSpec().approver().username()
                + " "
                + (verdict == ApprovalSpec.Verdict.APPROVE ? "approved" : "rejected")
                + " "
                + promotion);
    return 0;
  }
}
