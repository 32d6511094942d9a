package io.stellaops.supplychain.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SemVer 2.0 precedence, read leniently as OSV's SEMVER ranges are: a leading {@code v}, missing
 * minor or patch (0), build metadata and any fourth component ignored, numbers of any size.
 * Hand-written because SemVer libraries reject the lenient forms OSV data and Go module versions
 * use.
 */
final class SemverOrder implements Comparator<String> {
  static final SemverOrder INSTANCE = new SemverOrder();

  private record Parsed(BigInteger[] core, List<String> pre) {}

  @Override
  public int compare(String a, String b) {
    Parsed x = parse(a);
    Parsed y = parse(b);
    for (int i = 0; i < 3; i++) {
      int c = x.core[i].compareTo(y.core[i]);
      if (c != 0) {
        return c;
      }
    }
    return comparePre(x.pre, y.pre);
  }

  private static Parsed parse(String version) {
    String v = version.strip();
    if (v.startsWith("v") || v.startsWith("V")) {
      v = v.substring(1);
    }
    int plus = v.indexOf('+');
    if (plus >= 0) {
      v = v.substring(0, plus);
    }
    BigInteger[] core = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
    int i = 0;
    int component = 0;
    while (i < v.length() && component < 3) {
      int start = i;
      while (i < v.length() && Character.isDigit(v.charAt(i))) {
        i++;
      }
      if (i > start) {
        core[component] = new BigInteger(v.substring(start, i));
      }
      component++;
      if (i < v.length() && v.charAt(i) == '.' && component < 3) {
        i++;
      } else {
        break;
      }
    }
    // what follows the core: "-pre.release", or (lenient) further ".4.5" components = build
    String rest = v.substring(i);
    List<String> pre = new ArrayList<>();
    if (rest.startsWith("-")) {
      pre.addAll(List.of(rest.substring(1).split("\\.", -1)));
    } else if (!rest.isEmpty() && !rest.startsWith(".")) {
      pre.addAll(List.of(rest.split("\\.", -1)));
    }
    return new Parsed(core, pre);
  }

  private static int comparePre(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty()); // a release outranks its pre-releases
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = isNumber(x);
      boolean yn = isNumber(y);
      int c;
      if (xn && yn) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xn || yn) {
        c = xn ? -1 : 1; // numeric identifiers sort before alphanumeric ones
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
