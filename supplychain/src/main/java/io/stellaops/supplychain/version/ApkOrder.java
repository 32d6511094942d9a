package io.stellaops.supplychain.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's apk version order ({@code 1.2.3a_rc1_p2~hash-r4}): number components (after the first,
 * one with a leading zero compares as text), an optional letter, suffixes ({@code _alpha < _beta <
 * _pre < _rc < none < _cvs < _svn < _git < _hg < _p}), a commit hash that is ignored, and the
 * package revision; versions apk cannot read compare as text among themselves, as OSV-SCALIBR
 * orders them. Hand-written: no Java library implements apk's order.
 */
final class ApkOrder implements Comparator<String> {
  static final ApkOrder INSTANCE = new ApkOrder();

  private static final Pattern NUMBERS = Pattern.compile("^((\\d+)\\.?)*");
  private static final Pattern SUFFIX =
      Pattern.compile("_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\\d*)");
  private static final Pattern HASH = Pattern.compile("^~[0-9a-f]+");
  private static final Pattern REVISION = Pattern.compile("^-r(\\d*)");
  private static final List<String> SUFFIXES =
      List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");
  private static final int NO_SUFFIX = SUFFIXES.indexOf("");

  private record Number(String text, BigInteger value, int index) {
    int compareTo(Number other) {
      // "1.02" < "1.1": apk compares a fraction-like component with a leading zero as text
      if (index != 0 && other.index != 0 && (text.startsWith("0") || other.text.startsWith("0"))) {
        return Integer.signum(text.compareTo(other.text));
      }
      return value.compareTo(other.value);
    }
  }

  private record Suffix(int weight, BigInteger number) {}

  private record Parsed(
      String original,
      boolean invalid,
      List<Number> numbers,
      String letter,
      List<Suffix> suffixes,
      BigInteger revision,
      String remainder) {}

  @Override
  public int compare(String a, String b) {
    Parsed x = parse(a);
    Parsed y = parse(b);
    if (x.invalid && y.invalid) {
      return Integer.signum(a.compareTo(b));
    }
    for (int i = 0; i < Math.max(x.numbers.size(), y.numbers.size()); i++) {
      int c = number(x, i).compareTo(number(y, i));
      if (c != 0) {
        return c;
      }
    }
    if (x.letter.isEmpty() != y.letter.isEmpty()) {
      return x.letter.isEmpty() ? -1 : 1;
    }
    int c = Integer.signum(x.letter.compareTo(y.letter));
    if (c != 0) {
      return c;
    }
    for (int i = 0; i < Math.max(x.suffixes.size(), y.suffixes.size()); i++) {
      Suffix s = suffix(x, i);
      Suffix t = suffix(y, i);
      c = s.weight != t.weight ? Integer.compare(s.weight, t.weight) : s.number.compareTo(t.number);
      if (c != 0) {
        return c;
      }
    }
    c = x.revision.compareTo(y.revision);
    if (c != 0) {
      return c;
    }
    if (x.remainder.isEmpty() != y.remainder.isEmpty()) {
      return x.remainder.isEmpty() ? 1 : -1;
    }
    return 0;
  }

  private static Number number(Parsed p, int i) {
    return i < p.numbers.size() ? p.numbers.get(i) : new Number("0", BigInteger.ZERO, 0);
  }

  private static Suffix suffix(Parsed p, int i) {
    return i < p.suffixes.size() ? p.suffixes.get(i) : new Suffix(NO_SUFFIX, BigInteger.ZERO);
  }

  private static Parsed parse(String version) {
    String rest = version;
    List<Number> numbers = new ArrayList<>();
    Matcher m = NUMBERS.matcher(rest);
    if (m.lookingAt() && m.end() > 0) {
      String[] parts = m.group().split("\\.", -1);
      for (int i = 0; i < parts.length && !parts[i].isEmpty(); i++) {
        numbers.add(new Number(parts[i], new BigInteger(parts[i]), i));
      }
      rest = rest.substring(m.end());
    }
    String letter = "";
    if (!rest.isEmpty() && rest.charAt(0) >= 'a' && rest.charAt(0) <= 'z') {
      letter = rest.substring(0, 1);
      rest = rest.substring(1);
    }
    List<Suffix> suffixes = new ArrayList<>();
    Matcher s = SUFFIX.matcher(rest);
    List<String[]> found = new ArrayList<>();
    while (s.find()) {
      found.add(new String[] {s.group(), s.group(1), s.group(2)});
    }
    // every suffix found counts, but only those at the front are consumed (as apk's parser does)
    for (String[] f : found) {
      suffixes.add(
          new Suffix(
              SUFFIXES.indexOf(f[1]), f[2].isEmpty() ? BigInteger.ZERO : new BigInteger(f[2])));
      if (rest.startsWith(f[0])) {
        rest = rest.substring(f[0].length());
      }
    }
    Matcher h = HASH.matcher(rest);
    if (h.lookingAt()) {
      rest = rest.substring(h.end());
    }
    BigInteger revision = BigInteger.ZERO;
    boolean invalid = false;
    if (!rest.isEmpty()) {
      Matcher r = REVISION.matcher(rest);
      if (r.lookingAt()) {
        revision = r.group(1).isEmpty() ? BigInteger.ZERO : new BigInteger(r.group(1));
        rest = rest.substring(r.end());
      } else {
        invalid = true;
      }
    }
    return new Parsed(version, invalid, numbers, letter, suffixes, revision, rest);
  }
}
