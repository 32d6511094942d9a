package io.stellaops.cli;

import io.stellaops.crds.common.BreakGlassType;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionAnnotations;
import io.stellaops.crds.promotion.PromotionSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "rollback",
    description =
        "Promote an environment's previous release again (the head of its status.history).")
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.ENVIRONMENT, description = "Environment name.")
  String environment;

  @Option(names = "--reason", description = "Why; recorded in the evidence.")
  String reason;

  @Option(
      names = "--justification",
      description = "Break a freeze window with a Rollback exemption, for this reason.")
  String justification;

  @Override
  public Integer call() {
    Environment env =
        cli.client()
            .resources(Environment.class)
            .inNamespace(cli.namespace())
            .withName(environment)
            .get();
    if (env == null) {
      cli.err()
          .println(
              "error: environment " + environment + " not found in namespace " + cli.namespace());
      return 2;
    }
    if (env.getStatus() == null || env.getStatus().getHistory().isEmpty()) {
      cli.err()
          .println(
              "error: environment " + environment + " has no previous release to roll back to");
      return 2;
    }
    var previous = env.getStatus().getHistory().get(0);
    Promotion p = new Promotion();
    p.getMetadata().setGenerateName(previous.release() + "-rollback-" + environment + "-");
    p.getMetadata().setNamespace(cli.namespace());
    if (env.getStatus().getCurrent() != null) {
      p.getMetadata()
          .getAnnotations()
          .put(PromotionAnnotations.ROLLBACK_OF, env.getStatus().getCurrent().promotion());
    }
    p.setSpec(
        new PromotionSpec(
            previous.release(),
            environment,
            null,
            reason != null
                ? reason
                : "rollback from "
                    + env.getStatus().getCurrent().release()
                    + " to "
                    + previous.release(),
            justification == null ? null : new BreakGlass(BreakGlassType.ROLLBACK, justification),
            null));
    Promotion created = cli.client().resource(p).create();
    cli.out()
        .println(
            "promotion.stellaops.io/"
                + created.getMetadata().getName()
                + " created: rollback of "
                + environment
                + " to "
                + previous.release()
                + " ("
                + previous.version()
                + ")");
    return 0;
  }
}
