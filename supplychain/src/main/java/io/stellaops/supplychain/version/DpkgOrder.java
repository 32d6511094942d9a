package io.stellaops.supplychain.version;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * dpkg's version order ({@code [epoch:]upstream[-revision]}, deb-version(7)): Debian and Ubuntu
 * packages. Hand-written: the algorithm is short and no maintained Java library implements it.
 */
final class DpkgOrder implements Comparator<String> {
  static final DpkgOrder INSTANCE = new DpkgOrder();

  @Override
  public int compare(String a, String b) {
    String[] x = split(a.strip());
    String[] y = split(b.strip());
    int c = new BigInteger(x[0]).compareTo(new BigInteger(y[0]));
    if (c != 0) {
      return c;
    }
    c = compareParts(x[1], y[1]);
    return c != 0 ? c : compareParts(x[2], y[2]);
  }

  /** epoch, upstream version, revision ("0" when absent, as dpkg reads it). */
  private static String[] split(String version) {
    String epoch = "0";
    int colon = version.indexOf(':');
    if (colon > 0 && version.substring(0, colon).chars().allMatch(Character::isDigit)) {
      epoch = version.substring(0, colon);
      version = version.substring(colon + 1);
    }
    int dash = version.lastIndexOf('-');
    if (dash < 0) {
      return new String[] {epoch, version, "0"};
    }
    return new String[] {epoch, version.substring(0, dash), version.substring(dash + 1)};
  }

  /** Alternating non-digit and digit runs; '~' sorts before everything, even the end. */
  private static int compareParts(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !Character.isDigit(a.charAt(i)))
          || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int ca = i < a.length() && !Character.isDigit(a.charAt(i)) ? weight(a.charAt(i)) : 0;
        int cb = j < b.length() && !Character.isDigit(b.charAt(j)) ? weight(b.charAt(j)) : 0;
        if (ca != cb) {
          return Integer.compare(ca, cb);
        }
        i++;
        j++;
      }
      int si = i;
      while (i < a.length() && Character.isDigit(a.charAt(i))) {
        i++;
      }
      int sj = j;
      while (j < b.length() && Character.isDigit(b.charAt(j))) {
        j++;
      }
      BigInteger na = si == i ? BigInteger.ZERO : new BigInteger(a.substring(si, i));
      BigInteger nb = sj == j ? BigInteger.ZERO : new BigInteger(b.substring(sj, j));
      int c = na.compareTo(nb);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int weight(char c) {
    if (c == '~') {
      return -1;
    }
    if (Character.isLetter(c)) {
      return c;
    }
    return c + 256;
  }
}
