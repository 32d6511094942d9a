package io.stellaops.cli;

import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionStatus;
import io.stellaops.crds.promotion.Transition;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "watch",
    description =
        "Follow a promotion until it ends, one line per phase it enters. Exits 0 when it"
            + " Succeeded, 3 when it was Denied, 1 when it Failed, was rolled back or superseded, or"
            + " the timeout passed.")
final class WatchCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofSeconds(1);

  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.PROMOTION, description = "Promotion name.")
  String name;

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      description = "How long to wait for the promotion to end (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    long deadline = System.nanoTime() + GoDuration.parse(timeout).toNanos();
    var resource =
        cli.client().resources(Promotion.class).inNamespace(cli.namespace()).withName(name);
    int shown = 0;
    while (true) {
      Promotion p = resource.get();
      if (p == null) {
        return ApiErrors.notFound(cli.err(), "promotions.stellaops.io", name, cli.namespace());
      }
      PromotionStatus s = p.getStatus();
      List<Transition> transitions = s == null ? List.of() : s.getTransitions();
      for (; shown < transitions.size(); shown++) {
        var t = transitions.get(shown);
        cli.out().printf("%s  %-16s %s%n", t.time(), t.phase(), t.message());
      }
      if (s != null && Phase.ended(s.getPhase())) {
        return switch (s.getPhase()) {
          case Succeeded -> 0;
          case Denied -> ApiErrors.REFUSED;
          default -> ApiErrors.ERROR;
        };
      }
      if (System.nanoTime() > deadline) {
        cli.err()
            .println(
                "error: promotion "
                    + name
                    + " did not end within "
                    + timeout
                    + ("; it is " + (s == null ? "not reconciled yet" : s.getPhase()))
                    + ": "
                    + (s == null ? "is the operator running?" : ListCommand.why(s)));
        return ApiErrors.ERROR;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
