package io.stellaops.cli;

import io.stellaops.crds.release.Release;
import io.stellaops.crds.release.ReleaseAnnotations;
import java.util.HashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "quarantine",
    description = "Quarantine a release: it is never promoted again. Cannot be undone.")
final class QuarantineCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.RELEASE, description = "Release name.")
  String release;

  @Option(names = "--reason", required = true, description = "Why; shown in every denial.")
  String reason;

  @Override
  public Integer call() {
    Release updated =
        cli.client()
            .resources(Release.class)
            .inNamespace(cli.namespace())
            .withName(release)
            .edit(r -> {
              var annotations =
                  new HashMap<>(
                      r.getMetadata().getAnnotations() == null
                          ? java.util.Map.<String, String>of()
                          : r.getMetadata().getAnnotations());
              annotations.put(ReleaseAnnotations.QUARANTINE, reason);
              r.getMetadata().setAnnotations(annotations);
              return r;
            });
    var a = updated.getMetadata().getAnnotations();
    cli.out()
        .println(
            "release.stellaops.io/"
                + release
                + " quarantined by "
                + a.getOrDefault(ReleaseAnnotations.QUARANTINED_BY, "?")
                + ": "
                + reason);
    return 0;
  }
}
