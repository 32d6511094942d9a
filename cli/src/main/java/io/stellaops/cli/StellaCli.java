package io.stellaops.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code kubectl stella}: promote, approve, inspect, and verify evidence offline. */
@Command(
    name = "kubectl stella",
    mixinStandardHelpOptions = true,
    version = "kubectl-stella 0.1.0",
    description =
        "Promote releases through environments, verify their evidence and see its lifecycle.",
    subcommands = {
      PromoteCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      RollbackCommand.class,
      QuarantineCommand.class,
      StatusCommand.class,
      ListCommand.class,
      WatchCommand.class,
      EvidenceCommand.class,
      ExportCommand.class,
      MirrorCommand.class,
      IlmCommand.class,
      KeysCommand.class
    })
public final class StellaCli implements Runnable {
  /** Exit code of a verification or replay that found a problem. */
  public static final int VERIFICATION_FAILED = 1;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      description = "Namespace (default: the kubeconfig context's).")
  String namespace;

  @Option(
      names = "--kubeconfig",
      scope = ScopeType.INHERIT,
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--as",
      scope = ScopeType.INHERIT,
      description = "Act as this user (Kubernetes impersonation, as kubectl --as).")
  String asUser;

  @Option(
      names = "--as-group",
      scope = ScopeType.INHERIT,
      description = "Act with this group; repeat for more (as kubectl --as-group).")
  String[] asGroups;

  private KubernetesClient client;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  KubernetesClient client() {
    if (client == null) {
      try {
        Config config =
            kubeconfig == null
                ? Config.autoConfigure(null)
                : Config.fromKubeconfig(Files.readString(kubeconfig));
        // as kubectl: a request is sent once; a retried POST could create a second promotion
        config.setRequestRetryBackoffLimit(0);
        if (asUser != null) {
          config.setImpersonateUsername(asUser);
          config.setImpersonateGroups(asGroups);
        } else if (asGroups != null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--as-group needs --as (as with kubectl)");
        }
        client =
            new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(
                    http -> http.addOrReplaceInterceptor("warnings", new ServerWarnings(this::err)))
                .build();
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
      }
    }
    return client;
  }

  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String fromConfig = client().getNamespace();
    return fromConfig == null ? "default" : fromConfig;
  }

  /** The namespace given with -n, or null (all namespaces) when none was. */
  String namespaceOrAll() {
    return namespace;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    var cli = new StellaCli();
    try {
      if (args.length > 0 && args[0].equals(Completion.COMMAND)) {
        return Completion.run(cli, out, java.util.Arrays.asList(args).subList(1, args.length));
      }
      return new CommandLine(cli)
          .setOut(out)
          .setErr(err)
          .setExecutionExceptionHandler(StellaCli::explain)
          .execute(args);
    } finally {
      if (cli.client != null) {
        cli.client.close();
      }
    }
  }

  private static int explain(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String server =
        cmd.getCommandSpec().root().userObject() instanceof StellaCli cli && cli.client != null
            ? cli.client.getMasterUrl().toString()
            : null;
    cmd.getErr().println(ApiErrors.describe(e, server));
    return ApiErrors.exitCode(e);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
