package io.stellaops.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.common.ConditionTypes;
import io.stellaops.crds.common.Conditions;
import io.stellaops.crds.common.StellaStatus;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "list",
    description = "List promotions, releases or approvals, with why each one stands where it does.")
final class ListCommand implements Callable<Integer> {
  /** What can be listed. */
  enum Kind {
    promotions,
    releases,
    approvals
  }

  /** Output formats, as kubectl get spells them. */
  enum Output {
    wide,
    yaml,
    json
  }

  @ParentCommand StellaCli cli;

  @Parameters(index = "0", description = "${COMPLETION-CANDIDATES}.")
  Kind kind;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Across all namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-o", "--output"},
      description = "${COMPLETION-CANDIDATES} (default: a table).")
  Output output;

  @Override
  public Integer call() {
    List<? extends HasMetadata> items =
        switch (kind) {
          case promotions -> items(Promotion.class);
          case releases -> items(Release.class);
          case approvals -> items(Approval.class);
        };
    if (output == Output.yaml || output == Output.json) {
      // a plain map: fabric8's KubernetesList wants a builder for every item type
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      list.put("items", items);
      var json = cli.client().getKubernetesSerialization();
      cli.out()
          .println((output == Output.yaml ? json.asYaml(list) : json.asJson(list)).stripTrailing());
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(header());
    items.forEach(item -> rows.add(row(item)));
    print(rows);
    return 0;
  }

  private <T extends HasMetadata> List<T> items(Class<T> type) {
    var resources = cli.client().resources(type);
    List<T> found =
        allNamespaces
            ? resources.inAnyNamespace().list().getItems()
            : resources.inNamespace(cli.namespace()).list().getItems();
    return found.stream()
        .sorted(
            Comparator.comparing((T o) -> o.getMetadata().getNamespace())
                .thenComparing(o -> o.getMetadata().getCreationTimestamp())
                .thenComparing(o -> o.getMetadata().getName()))
        .toList();
  }

  private List<String> header() {
    List<String> columns = new ArrayList<>();
    if (allNamespaces) {
      columns.add("NAMESPACE");
    }
    columns.addAll(
        switch (kind) {
          case promotions -> List.of("NAME", "RELEASE", "ENVIRONMENT", "PHASE", "AGE");
          case releases -> List.of("NAME", "VERSION", "VERIFIED", "AGE");
          case approvals -> List.of("NAME", "PROMOTION", "DECISION", "APPROVER", "COUNTED", "AGE");
        });
    if (output == Output.wide) {
      columns.add("WHY");
    }
    return columns;
  }

  private List<String> row(HasMetadata item) {
    List<String> cells = new ArrayList<>();
    if (allNamespaces) {
      cells.add(item.getMetadata().getNamespace());
    }
    cells.add(item.getMetadata().getName());
    StellaStatus status =
        switch (item) {
          case Promotion p -> {
            cells.add(p.getSpec().release());
            cells.add(p.getSpec().environment());
            cells.add(text(p.getStatus() == null ? null : p.getStatus().getPhase()));
            yield p.getStatus();
          }
          case Release r -> {
            cells.add(r.getSpec().version());
            cells.add(
                Conditions.find(r.getStatus(), ConditionTypes.VERIFIED)
                    .map(c -> c.status().value())
                    .orElse("-"));
            yield r.getStatus();
          }
          case Approval a -> {
            cells.add(a.getSpec().promotion());
            cells.add(text(a.getSpec().decision()));
            cells.add(a.getSpec().approver() == null ? "-" : a.getSpec().approver().username());
            cells.add(text(a.getStatus() == null ? null : a.getStatus().getCounted()));
            yield a.getStatus();
          }
          default -> throw new IllegalStateException(item.getKind());
        };
    cells.add(age(item.getMetadata().getCreationTimestamp()));
    if (output == Output.wide) {
      cells.add(why(status));
    }
    return cells;
  }

  /**
   * What holds the object, or why it ended: Stalled, else Reconciling (kstatus writes them only
   * while True), else Ready, as "reason: message".
   */
  static String why(StellaStatus status) {
    return Conditions.find(status, ConditionTypes.STALLED)
        .or(() -> Conditions.find(status, ConditionTypes.RECONCILING))
        .or(() -> Conditions.find(status, ConditionTypes.READY))
        .map(c -> c.reason() + ": " + c.message())
        .orElse("-");
  }

  private static String text(Object value) {
    if (value == null) {
      return "-";
    }
    return value instanceof Enum<?> e
        ? io.stellaops.supplychain.json.CanonicalJson.MAPPER.convertValue(e, String.class)
        : value.toString();
  }

  /** kubectl's short age: 45s, 12m, 3h, 5d. */
  static String age(String created) {
    if (created == null) {
      return "-";
    }
    Duration d = Duration.between(Instant.parse(created), Instant.now());
    if (d.toSeconds() < 120) {
      return Math.max(0, d.toSeconds()) + "s";
    }
    if (d.toMinutes() < 120) {
      return d.toMinutes() + "m";
    }
    return d.toHours() < 48 ? d.toHours() + "h" : d.toDays() + "d";
  }

  private void print(List<List<String>> rows) {
    int columns = rows.getFirst().size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    Function<List<String>, String> line =
        row -> {
          StringBuilder s = new StringBuilder();
          for (int i = 0; i < columns; i++) {
            s.append(
                i == columns - 1
                    ? row.get(i)
                    : String.format("%-" + (width[i] + 3) + "s", row.get(i)));
          }
          return s.toString().stripTrailing();
        };
    rows.forEach(row -> cli.out().println(line.apply(row)));
  }
}
