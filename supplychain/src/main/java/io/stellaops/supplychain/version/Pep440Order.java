package io.stellaops.supplychain.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version order for PyPI (epoch, release, pre-, post- and dev-releases, local labels), as
 * Python's {@code packaging} library sorts them. Hand-written: no maintained Java implementation
 * exists. Strings that are not PEP 440 versions sort before every valid one, among themselves by
 * text.
 */
final class Pep440Order implements Comparator<String> {
  static final Pep440Order INSTANCE = new Pep440Order();

  // the regular expression of PEP 440's appendix B
  private static final Pattern VERSION =
      Pattern.compile(
          "^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?"
              + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
              + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
          Pattern.CASE_INSENSITIVE);

  private static final BigInteger NONE = BigInteger.valueOf(-1);

  /** One version's sort key; pre/post/dev use sentinels as packaging's _cmpkey does. */
  private record Key(
      BigInteger epoch,
      List<BigInteger> release,
      int preRank, // -2: dev-only release (sorts first), 0..2: a/b/rc, 3: none
      BigInteger preNumber,
      BigInteger post, // NONE when absent
      boolean hasDev,
      BigInteger dev,
      List<String> local) {}

  /** Whether {@code version} is a PEP 440 version. */
  static boolean isValid(String version) {
    return VERSION.matcher(version).matches();
  }

  @Override
  public int compare(String a, String b) {
    Key x = key(a);
    Key y = key(b);
    if (x == null || y == null) {
      if (x == null && y == null) {
        return a.compareTo(b);
      }
      return x == null ? -1 : 1;
    }
    int c = x.epoch.compareTo(y.epoch);
    if (c == 0) {
      c = compareRelease(x.release, y.release);
    }
    if (c == 0) {
      c = Integer.compare(x.preRank, y.preRank);
    }
    if (c == 0) {
      c = x.preNumber.compareTo(y.preNumber);
    }
    if (c == 0) {
      c = x.post.compareTo(y.post);
    }
    if (c == 0) {
      c = Boolean.compare(!x.hasDev, !y.hasDev); // a dev release precedes its final
    }
    if (c == 0 && x.hasDev) {
      c = x.dev.compareTo(y.dev);
    }
    return c != 0 ? c : compareLocal(x.local, y.local);
  }

  private static Key key(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.matches()) {
      return null;
    }
    BigInteger epoch =
        m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
    List<BigInteger> release = new ArrayList<>();
    for (String part : m.group("release").split("\\.")) {
      release.add(new BigInteger(part));
    }
    while (release.size() > 1 && release.getLast().signum() == 0) {
      release.removeLast(); // 1.0.0 == 1.0 == 1
    }
    boolean hasPre = m.group("preL") != null;
    boolean hasPost = m.group("post") != null;
    boolean hasDev = m.group("devL") != null;
    int preRank = 3;
    BigInteger preNumber = BigInteger.ZERO;
    if (hasPre) {
      preRank =
          switch (m.group("preL").toLowerCase(Locale.ROOT)) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2; // c, rc, pre, preview
          };
      preNumber = number(m.group("preN"));
    } else if (!hasPost && hasDev) {
      preRank = -2;
    }
    BigInteger post = NONE;
    if (hasPost) {
      post = number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
    }
    List<String> local = new ArrayList<>();
    if (m.group("local") != null) {
      local.addAll(List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")));
    }
    return new Key(
        epoch, release, preRank, preNumber, post, hasDev, number(m.group("devN")), local);
  }

  private static BigInteger number(String digits) {
    return digits == null ? BigInteger.ZERO : new BigInteger(digits);
  }

  private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** No local label sorts first; numeric segments outrank alphanumeric ones. */
  private static int compareLocal(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = x.chars().allMatch(Character::isDigit);
      boolean yn = y.chars().allMatch(Character::isDigit);
      int c;
      if (xn && yn) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xn != yn) {
        c = xn ? 1 : -1;
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
