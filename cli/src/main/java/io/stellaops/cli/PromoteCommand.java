package io.stellaops.cli;

import io.stellaops.crds.common.BreakGlassType;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.promotion.PromotionSpec;
import io.stellaops.supplychain.json.CanonicalJson;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

@Command(
    mixinStandardHelpOptions = true,
    name = "promote",
    description = "Request the promotion of a release into an environment.")
final class PromoteCommand implements Callable<Integer> {
  @ParentCommand StellaCli cli;

  @Parameters(index = "0", paramLabel = Completion.RELEASE, description = "Release name.")
  String release;

  @Option(
      names = "--to",
      required = true,
      paramLabel = Completion.ENVIRONMENT,
      description = "Environment to promote into.")
  String environment;

  @Option(names = "--reason", description = "Why; recorded in the evidence.")
  String reason;

  @Option(
      names = "--target",
      paramLabel = Completion.TARGET,
      description = "Deploy only to these targets of the environment (repeatable).")
  List<String> targets;

  @Option(
      names = "--break-glass",
      converter = BreakGlassSpelling.class,
      completionCandidates = BreakGlassSpelling.class,
      description = "Freeze-window exemption: ${COMPLETION-CANDIDATES} (as Environments spell it).")
  BreakGlassType breakGlass;

  @Option(
      names = "--justification",
      description = "Why the freeze must be broken (with --break-glass).")
  String justification;

  @Override
  public Integer call() {
    if ((breakGlass == null) != (justification == null)) {
      throw new picocli.CommandLine.ParameterException(
          cli.spec.commandLine(), "--break-glass and --justification go together");
    }
    Promotion p = new Promotion();
    p.getMetadata().setGenerateName(release + "-to-" + environment + "-");
    p.getMetadata().setNamespace(cli.namespace());
    p.setSpec(
        new PromotionSpec(
            release,
            environment,
            targets,
            reason,
            breakGlass == null ? null : new BreakGlass(breakGlass, justification),
            null));
    Promotion created = cli.client().resource(p).create();
    var requester = created.getSpec().requestedBy();
    cli.out()
        .println(
            "promotion.stellaops.io/"
                + created.getMetadata().getName()
                + " created"
                + (requester == null ? "" : " (requested by " + requester.username() + ")"));
    cli.out()
        .println(
            "follow it with: kubectl stella status "
                + created.getMetadata().getName()
                + " -n "
                + cli.namespace());
    return 0;
  }

  /** The API's spelling (Rollback, SecurityFix), in any case; the enum's names are accepted too. */
  static final class BreakGlassSpelling
      implements ITypeConverter<BreakGlassType>, Iterable<String> {
    @Override
    public BreakGlassType convert(String value) {
      for (BreakGlassType type : BreakGlassType.values()) {
        if (spelling(type).equalsIgnoreCase(value) || type.name().equalsIgnoreCase(value)) {
          return type;
        }
      }
      throw new TypeConversionException(
          "expected one of " + String.join(", ", this) + " but was '" + value + "'");
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(BreakGlassType.values()).map(BreakGlassSpelling::spelling).iterator();
    }

    private static String spelling(BreakGlassType type) {
      return CanonicalJson.MAPPER.convertValue(type, String.class);
    }
  }
}
