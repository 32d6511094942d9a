package io.stellaops.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion as kubectl asks a plugin for it (kubectl 1.26+ runs {@code
 * kubectl_complete-stella <words…> <partial word>}, which calls {@code kubectl stella __complete
 * …}): one candidate per line, {@code name<TAB>description}, then {@code :<directive>} — the
 * protocol of cobra's {@code __complete}, which kubectl passes on to bash, zsh and fish.
 * Subcommands and options come from the command model; promotion, release, environment, target and
 * evidence names from the cluster, found by the parameter's label. Hand-written because picocli's
 * own completion writes a bash script for a standalone command, which kubectl's completion does not
 * call.
 */
final class Completion {
  static final String COMMAND = "__complete";

  static final String PROMOTION = "PROMOTION";
  static final String RELEASE = "RELEASE";
  static final String ENVIRONMENT = "ENVIRONMENT";
  static final String TARGET = "TARGET";
  static final String EVIDENCE_PACKET = "EVIDENCEPACKET";
  static final String EXPORT = "EXPORT";

  /** Label → plural of the kind whose names complete it. */
  private static final Map<String, String> KINDS =
      Map.of(
          PROMOTION, "promotions",
          RELEASE, "releases",
          ENVIRONMENT, "environments",
          TARGET, "targets",
          EVIDENCE_PACKET, "evidencepackets",
          EXPORT, "exports");

  // cobra's ShellCompDirective values
  private static final int FILES = 0;
  private static final int NO_FILES = 4;

  private Completion() {}

  /** A candidate word and what it is. */
  record Candidate(String word, String description) {}

  /** What to offer for the last of {@code words}; prints it as kubectl expects. */
  static int run(StellaCli cli, PrintWriter out, List<String> words) {
    String partial = words.isEmpty() ? "" : words.getLast();
    List<String> before = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    CommandLine root = new CommandLine(cli);
    collectErrors(root); // the words typed so far are incomplete: parse what is there
    CommandLine.ParseResult parsed = root.parseArgs(before.toArray(String[]::new));
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    CommandSpec spec = parsed.commandSpec();
    List<Candidate> candidates = new ArrayList<>();
    int directive = NO_FILES;

    OptionSpec valueOf = before.isEmpty() ? null : spec.findOption(before.getLast());
    String prefix = "";
    String typed = partial;
    if (partial.startsWith("--") && partial.contains("=")) {
      valueOf = spec.findOption(partial.substring(0, partial.indexOf('=')));
      prefix = partial.substring(0, partial.indexOf('=') + 1);
      typed = partial.substring(prefix.length());
    } else if (valueOf != null && valueOf.arity().max() == 0) {
      valueOf = null;
    }
    if (valueOf != null) {
      directive = values(cli, valueOf, candidates);
    } else if (partial.startsWith("-")) {
      for (OptionSpec option : spec.options()) {
        if (!option.hidden()) {
          candidates.add(new Candidate(option.longestName(), firstSentence(option.description())));
        }
      }
    } else {
      if (parsed.matchedPositionals().isEmpty()) {
        spec.subcommands()
            .forEach((name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()) {
                candidates.add(
                    new Candidate(
                        name, firstSentence(sub.getCommandSpec().usageMessage().description())));
              }
            });
      }
      int index = parsed.matchedPositionals().size();
      for (var positional : spec.positionalParameters()) {
        if (positional.index().contains(index)) {
          directive = values(cli, positional, candidates);
        }
      }
    }
    for (Candidate c : candidates) {
      if (c.word().startsWith(typed)) {
        out.println(
            prefix
                + c.word()
                + (c.description().isEmpty() ? "" : "\t" + c.description().replace('\t', ' ')));
      }
    }
    out.println(":" + directive);
    return 0;
  }

  private static void collectErrors(CommandLine command) {
    command.getCommandSpec().parser().collectErrors(true);
    command.getSubcommands().values().forEach(Completion::collectErrors);
  }

  /** Candidates for an option's or parameter's value; the directive (files or not). */
  private static int values(StellaCli cli, ArgSpec arg, List<Candidate> candidates) {
    if (arg.completionCandidates() != null) {
      arg.completionCandidates().forEach(c -> candidates.add(new Candidate(c, "")));
      return NO_FILES;
    }
    String kind = KINDS.get(arg.paramLabel());
    if (kind != null) {
      candidates.addAll(names(cli, kind));
      return NO_FILES;
    }
    Class<?> type = arg.type();
    return type == Path.class || type == File.class ? FILES : NO_FILES;
  }

  /** Names of {@code plural} in the namespace the words name; none when the cluster won't say. */
  private static List<Candidate> names(StellaCli cli, String plural) {
    var context =
        new ResourceDefinitionContext.Builder()
            .withGroup("stellaops.io")
            .withVersion("v1alpha1")
            .withPlural(plural)
            .withNamespaced(true)
            .build();
    try {
      return CompletableFuture.supplyAsync(() ->
              cli
                  .client()
                  .genericKubernetesResources(context)
                  .inNamespace(cli.namespace())
                  .list()
                  .getItems()
                  .stream()
                  .map(o -> new Candidate(o.getMetadata().getName(), describe(plural, o)))
                  .toList())
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the shell shows no error lines; as cobra, say why where BASH_COMP_DEBUG_FILE names
      debug(
          "cannot list "
              + plural
              + " in namespace "
              + cli.namespace()
              + ": "
              + (e instanceof java.util.concurrent.TimeoutException
                  ? "no answer within 5 s"
                  : ApiErrors.describe(
                      e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e,
                      null)));
      return List.of();
    }
  }

  /** One line for whoever debugs completion, as cobra's {@code __complete} writes them. */
  private static void debug(String line) {
    String file = System.getenv("BASH_COMP_DEBUG_FILE");
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      java.nio.file.Files.writeString(
          Path.of(file),
          "kubectl stella " + COMMAND + ": " + line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException | RuntimeException e) {
      // a debug file that cannot be written is no reason to fail completion
    }
  }

  private static String describe(String plural, GenericKubernetesResource o) {
    Object value =
        switch (plural) {
          case "promotions" -> o.get("status", "phase");
          case "releases" -> o.get("spec", "version");
          case "environments" -> null;
          case "targets" -> o.get("spec", "environment");
          default -> o.get("spec", "decision");
        };
    return value == null ? "" : String.valueOf(value);
  }

  private static String firstSentence(String[] description) {
    if (description == null || description.length == 0) {
      return "";
    }
    String text = description[0];
    int end = text.indexOf(". ");
    return (end < 0 ? text : text.substring(0, end)).replaceAll("\\$\\{[A-Z-]+}", "").strip();
  }
}
