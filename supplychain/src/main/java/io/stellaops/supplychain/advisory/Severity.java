package io.stellaops.supplychain.advisory;

import java.util.Locale;
import us.springett.cvss.Cvss;

/** Severity of a finding, most severe first. */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  UNKNOWN;

  /** CVSS v3.x qualitative rating of a base score. */
  public static Severity ofScore(double score) {
    if (score >= 9.0) {
      return CRITICAL;
    }
    if (score >= 7.0) {
      return HIGH;
    }
    if (score >= 4.0) {
      return MEDIUM;
    }
    return score > 0 ? LOW : UNKNOWN;
  }

  /** GitHub's and most databases' words: CRITICAL, HIGH, MODERATE/MEDIUM, LOW. */
  public static Severity ofWord(String word) {
    if (word == null) {
      return UNKNOWN;
    }
    return switch (word.strip().toUpperCase(Locale.ROOT)) {
      case "CRITICAL" -> CRITICAL;
      case "HIGH", "IMPORTANT" -> HIGH;
      case "MODERATE", "MEDIUM" -> MEDIUM;
      case "LOW", "NEGLIGIBLE" -> LOW;
      default -> UNKNOWN;
    };
  }

  /** A record's CVSS base score (v3 first, then v2), or -1 when it carries none we can read. */
  static double baseScore(OsvRecord record) {
    for (String type : new String[] {"CVSS_V3", "CVSS_V2"}) {
      for (OsvRecord.SeverityScore s : record.severity()) {
        if (type.equals(s.type()) && s.score() != null) {
          Cvss cvss;
          try {
            cvss = Cvss.fromVector(s.score());
          } catch (RuntimeException e) {
            // a vector with a value CVSS does not define (MalformedVectorException) is as
            // unreadable as one of another shape, for which fromVector answers null
            cvss = null;
          }
          if (cvss != null) {
            return cvss.calculateScore().getBaseScore();
          }
        }
      }
    }
    return -1;
  }

  /** From the CVSS vector, else the database's own word, else UNKNOWN. */
  static Severity of(OsvRecord record, double score) {
    if (score >= 0) {
      return ofScore(score);
    }
    if (record.databaseSpecific() != null) {
      return ofWord(record.databaseSpecific().path("severity").asText(null));
    }
    return UNKNOWN;
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
