package io.stellaops.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec;
import io.stellaops.crds.ilmclass.IlmClassSpec.Kind;
import io.stellaops.crds.ilmclass.IlmMetadata;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * What the lifecycle controller will do, read from what it stamped on each object (class label,
 * expiry and pin annotations, as of its last run) and the IlmClasses themselves: nothing is
 * recomputed here, so the CLI and the controller cannot disagree.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "ilm",
    description = "Evidence lifecycle: what is purged or archived next, and why an object is kept.",
    subcommands = {IlmCommand.Preview.class, IlmCommand.Why.class})
final class IlmCommand implements Runnable {
  @ParentCommand StellaCli cli;

  @Override
  public void run() {
    cli.spec.commandLine().getSubcommands().get("ilm").usage(cli.out());
  }

  /** A governed object as the lifecycle controller last stamped it. */
  record Governed(Kind kind, HasMetadata object) {
    String id() {
      return kind
          + " "
          + object.getMetadata().getNamespace()
          + "/"
          + object.getMetadata().getName();
    }

    String annotation(String key) {
      var annotations = object.getMetadata().getAnnotations();
      return annotations == null ? null : annotations.get(key);
    }

    String className() {
      var labels = object.getMetadata().getLabels();
      return labels == null ? null : labels.get(IlmMetadata.CLASS);
    }

    Instant expiresAt() {
      String at = annotation(IlmMetadata.EXPIRES_AT);
      return at == null ? null : Instant.parse(at);
    }

    boolean deleting() {
      return object.getMetadata().getDeletionTimestamp() != null;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "preview",
      description =
          "List what each IlmClass purges or archives next, and what it keeps past expiry and why"
              + " (a dry run: nothing is changed).")
  static final class Preview implements Callable<Integer> {
    @ParentCommand IlmCommand ilm;

    @Option(names = "--class", description = "Only this IlmClass.")
    String className;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "Upcoming purges listed per class (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--at",
        description =
            "Preview as of this time (RFC 3339, e.g. 2027-01-01T00:00:00Z) instead of now: what"
                + " will have been purged by then, if nothing else changes.")
    Instant at;

    @Override
    public Integer call() {
      StellaCli cli = ilm.cli;
      KubernetesClient client = cli.client();
      List<IlmClass> classes =
          client.resources(IlmClass.class).list().getItems().stream()
              .filter(c -> className == null || c.getMetadata().getName().equals(className))
              .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
              .toList();
      if (classes.isEmpty()) {
        cli.err()
            .println(
                className == null
                    ? "error: no IlmClass exists: nothing is governed (the Helm chart installs"
                        + " short, default and compliance)"
                    : "error: IlmClass " + className + " not found");
        return 2;
      }
      Instant now = at != null ? at : Instant.now();
      var out = cli.out();
      for (IlmClass cls : classes) {
        String name = cls.getMetadata().getName();
        IlmClassSpec spec = cls.getSpec();
        out.printf("IlmClass %s: %s%n", name, describe(cls));
        List<Governed> governed = new ArrayList<>();
        for (Kind kind : spec.appliesTo()) {
          governed.addAll(list(client, kind, name, cli.namespaceOrAll()));
        }
        governed.sort(
            Comparator.comparing((Governed g) -> g.kind().ordinal()).thenComparing(Governed::id));
        // in the order the controller acts: releases, then expired (evidence first), then kept
        List<String[]> rows = new ArrayList<>();
        List<String[]> kept = new ArrayList<>();
        List<Governed> upcoming = new ArrayList<>();
        String action = expiryAction(cls);
        for (Governed g : governed) {
          Instant expiry = g.expiresAt();
          String pinned = g.annotation(IlmMetadata.PINNED);
          boolean expired = expiry != null && !expiry.isAfter(now);
          if (g.deleting()) {
            rows.add(
                0,
                row(
                    "Release",
                    "now",
                    g,
                    spec.archiveRepository() == null && spec.s3() == null
                        ? "being deleted; kept until the class has an archive destination"
                        : "being deleted; archived, then released"));
          } else if (Boolean.TRUE.equals(spec.legalHold())) {
            kept.add(row("Keep", "-", g, "legal hold on IlmClass " + name));
          } else if (pinned != null) {
            if (expired) {
              kept.add(row("Keep", "-", g, "expired " + expiry + ", pinned: " + pinned));
            }
          } else if (expired) {
            rows.add(row(action, "next run", g, "expired " + expiry));
          } else if (expiry != null) {
            upcoming.add(g);
          }
        }
        rows.addAll(kept);
        upcoming.sort(Comparator.comparing(Governed::expiresAt).thenComparing(Governed::id));
        upcoming.stream()
            .limit(limit)
            .forEach(g ->
                rows.add(
                    row(action, g.expiresAt().toString(), g, "in " + human(now, g.expiresAt()))));
        if (rows.isEmpty()) {
          out.println("  nothing expired, pinned past expiry or due");
        } else {
          out.printf("  %-8s %-22s %-44s %s%n", "ACTION", "WHEN", "OBJECT", "WHY");
          rows.forEach(r -> out.printf("  %-8s %-22s %-44s %s%n", (Object[]) r));
        }
        if (upcoming.size() > limit) {
          out.printf("  ... and %d more due later (--limit)%n", upcoming.size() - limit);
        }
        if (cls.getStatus() != null
            && cls.getStatus().getBacklog() != null
            && cls.getStatus().getBacklog() > 0) {
          out.printf(
              "  %d expired object(s) wait for the next runs (a backlog is purged in steps; not"
                  + " all are stamped yet)%n",
              cls.getStatus().getBacklog());
        }
        if (cls.getStatus() != null && cls.getStatus().getLastRun() != null) {
          out.printf(
              "  last run %s: %d purged, %d archived%n",
              cls.getStatus().getLastRun(),
              cls.getStatus().getLastRunPurged(),
              cls.getStatus().getLastRunArchived());
        }
      }
      return 0;
    }

    private static String[] row(String action, String when, Governed g, String why) {
      return new String[] {action, when, g.id(), why};
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "why",
      description =
          "Say which IlmClass governs an object, when it expires and what keeps it (kinds:"
              + " evidencepacket, promotion, deploymentjob, approval, release, decision,"
              + " findings).")
  static final class Why implements Callable<Integer> {
    @ParentCommand IlmCommand ilm;

    @Parameters(index = "0", description = "<kind>/<name>, e.g. evidencepacket/api-to-prod.")
    String object;

    @Override
    public Integer call() {
      StellaCli cli = ilm.cli;
      int slash = object.indexOf('/');
      if (slash <= 0 || slash == object.length() - 1) {
        throw new CommandLine.ParameterException(
            cli.spec.commandLine(), "expected <kind>/<name>, got " + object);
      }
      Kind kind = kind(cli, object.substring(0, slash));
      String name = object.substring(slash + 1);
      HasMetadata found = get(cli.client(), kind, cli.namespace(), name);
      if (found == null) {
        cli.err().printf("error: %s %s not found in namespace %s%n", kind, name, cli.namespace());
        return 2;
      }
      var g = new Governed(kind, found);
      var out = cli.out();
      out.println(g.id());
      String className = g.className();
      if (className == null) {
        out.println(
            "  not governed yet: no IlmClass has stamped it. Is one IlmClass marked default, and"
                + " does the class its Environment or Release names list "
                + kind
                + " in appliesTo? (kubectl get ilmclasses)");
        return 0;
      }
      IlmClass cls = cli.client().resources(IlmClass.class).withName(className).get();
      out.printf(
          "  class:    %s%s%n",
          className, cls == null ? " (no longer exists: kept)" : " (" + describe(cls) + ")");
      Instant now = Instant.now();
      Instant expiry = g.expiresAt();
      if (expiry != null) {
        out.printf(
            "  expires:  %s (%s)%n",
            expiry, expiry.isAfter(now) ? "in " + human(now, expiry) : human(expiry, now) + " ago");
      }
      String pinned = g.annotation(IlmMetadata.PINNED);
      boolean hold = cls != null && Boolean.TRUE.equals(cls.getSpec().legalHold());
      out.printf(
          "  pinned:   %s%n",
          pinned != null ? pinned : hold ? "legal hold on IlmClass " + className : "no");
      out.printf("  next:     %s%n", next(g, cls, pinned != null || hold, expiry, now));
      return 0;
    }

    private static String next(
        Governed g, IlmClass cls, boolean pinned, Instant expiry, Instant now) {
      if (cls == null) {
        return "kept: a class that does not exist never purges";
      }
      String action = expiryAction(cls).toLowerCase(Locale.ROOT);
      if (g.deleting()) {
        return "being deleted: the ILM finalizer keeps it until it is archived";
      }
      if (pinned) {
        return "kept while pinned, whatever its expiry";
      }
      if (expiry == null) {
        return "not stamped yet";
      }
      return expiry.isAfter(now)
          ? action + " at expiry"
          : action + " at the lifecycle's next run (expired)";
    }
  }

  /** {@code retention 90d, Archive to oci://…, legal hold, Ready: …}. */
  static String describe(IlmClass cls) {
    IlmClassSpec spec = cls.getSpec();
    StringBuilder s = new StringBuilder("retention " + spec.retention());
    if (Boolean.TRUE.equals(spec.isDefault())) {
      s.append(", default");
    }
    s.append(", ").append(expiryAction(cls));
    if (spec.archiveRepository() != null) {
      s.append(" to oci://").append(spec.archiveRepository());
    }
    if (spec.s3() != null) {
      s.append(spec.archiveRepository() == null ? " to " : " and ");
      s.append("s3://").append(spec.s3().bucket()).append('/');
      s.append(spec.s3().prefix() == null ? "" : spec.s3().prefix());
      if (spec.s3().objectLock() != null) {
        s.append(" (Object Lock ")
            .append(spec.s3().objectLock().mode())
            .append(' ')
            .append(spec.s3().objectLock().retention())
            .append(')');
      }
    }
    if (Boolean.TRUE.equals(spec.legalHold())) {
      s.append(", legal hold");
    }
    if (cls.getStatus() != null && cls.getStatus().getConditions() != null) {
      cls.getStatus().getConditions().stream()
          .filter(c -> c.type().equals("Stalled") && c.status().name().equals("TRUE"))
          .findFirst()
          .ifPresent(c -> s.append("; STALLED: ").append(c.message()));
    }
    return s.toString();
  }

  static String expiryAction(IlmClass cls) {
    return cls.getSpec().onExpiry() == IlmClassSpec.ExpiryAction.ARCHIVE ? "Archive" : "Delete";
  }

  static String human(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    if (d.toDays() >= 2) {
      return d.toDays() + "d";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + "h";
    }
    return Math.max(1, d.toMinutes()) + "m";
  }

  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry("evidencepacket", Kind.EvidencePacket),
          Map.entry("evidencepackets", Kind.EvidencePacket),
          Map.entry("evidence", Kind.EvidencePacket),
          Map.entry("promotion", Kind.Promotion),
          Map.entry("promotions", Kind.Promotion),
          Map.entry("deploymentjob", Kind.DeploymentJob),
          Map.entry("deploymentjobs", Kind.DeploymentJob),
          Map.entry("job", Kind.DeploymentJob),
          Map.entry("approval", Kind.Approval),
          Map.entry("approvals", Kind.Approval),
          Map.entry("release", Kind.Release),
          Map.entry("releases", Kind.Release),
          Map.entry("decision", Kind.DecisionRecord),
          Map.entry("decisionrecord", Kind.DecisionRecord),
          Map.entry("findings", Kind.FindingsReport),
          Map.entry("findingsreport", Kind.FindingsReport));

  private static Kind kind(StellaCli cli, String name) {
    Kind kind = KINDS.get(name.toLowerCase(Locale.ROOT));
    if (kind == null) {
      throw new CommandLine.ParameterException(
          cli.spec.commandLine(),
          "unknown kind "
              + name
              + ": one of evidencepacket, promotion, deploymentjob, approval, release, decision"
              + " (a decision record ConfigMap), findings (a findings report ConfigMap)");
    }
    return kind;
  }

  private static Class<? extends HasMetadata> type(Kind kind) {
    return switch (kind) {
      case EvidencePacket -> EvidencePacket.class;
      case Promotion -> Promotion.class;
      case DeploymentJob -> DeploymentJob.class;
      case Approval -> Approval.class;
      case Release -> Release.class;
      case DecisionRecord, FindingsReport -> null;
    };
  }

  private static String record(Kind kind) {
    return kind == Kind.DecisionRecord ? IlmMetadata.DECISION_RECORD : IlmMetadata.FINDINGS_REPORT;
  }

  /** The objects of {@code kind} the lifecycle stamped with class {@code cls}. */
  static List<Governed> list(KubernetesClient client, Kind kind, String cls, String namespace) {
    Class<? extends HasMetadata> type = type(kind);
    List<? extends HasMetadata> items;
    if (type == null) {
      var configMaps =
          namespace == null
              ? client.configMaps().inAnyNamespace()
              : client.configMaps().inNamespace(namespace);
      items =
          configMaps
              .withLabel(IlmMetadata.CLASS, cls)
              .withLabel(IlmMetadata.RECORD, record(kind))
              .list()
              .getItems();
    } else {
      var resources =
          namespace == null
              ? client.resources(type).inAnyNamespace()
              : client.resources(type).inNamespace(namespace);
      items = resources.withLabel(IlmMetadata.CLASS, cls).list().getItems();
    }
    return items.stream().map(o -> new Governed(kind, o)).toList();
  }

  private static HasMetadata get(
      KubernetesClient client, Kind kind, String namespace, String name) {
    Class<? extends HasMetadata> type = type(kind);
    if (type == null) {
      var cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm == null && kind == Kind.DecisionRecord) {
        cm = client.configMaps().inNamespace(namespace).withName(name + "-decision").get();
      }
      return cm;
    }
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }
}
