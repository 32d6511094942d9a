package io.stellaops.supplychain.findings;

/**
 * What a VEX statement says about one finding: status ({@code not_affected}, {@code affected},
 * {@code fixed}, {@code under_investigation}), its justification or impact statement, and which
 * document said it.
 */
public record VexVerdict(String status, String justification, String statement, String document) {
  public boolean suppresses() {
    return "not_affected".equals(status) || "fixed".equals(status);
  }
}
