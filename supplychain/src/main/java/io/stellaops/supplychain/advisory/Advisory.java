package io.stellaops.supplychain.advisory;

import java.util.ArrayList;
import java.util.List;

/** An advisory as findings name it: its id, aliases, severity and summary. */
public record Advisory(
    String id, List<String> aliases, Severity severity, Double score, String summary) {

  static Advisory of(OsvRecord record) {
    double score = Severity.baseScore(record);
    return new Advisory(
        record.id(),
        List.copyOf(record.aliases()),
        Severity.of(record, score),
        score >= 0 ? score : null,
        record.summary());
  }

  /** The id and every alias. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(aliases.size() + 1);
    ids.add(id);
    ids.addAll(aliases);
    return ids;
  }
}
