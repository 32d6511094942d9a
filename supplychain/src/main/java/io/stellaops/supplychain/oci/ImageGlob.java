package io.stellaops.supplychain.oci;

/**
 * TrustPolicy image globs: {@code *} matches within one path segment, {@code **} across segments,
 * e.g. {@code registry.example.com/shop/**}. Hand-written because the two rules are the whole
 * syntax and java.nio's glob matcher works on file-system paths.
 */
public final class ImageGlob {
  /** A pattern character; {@link #SEGMENT} and {@link #ANY} stand for {@code *} and {@code **}. */
  private static final int SEGMENT = -1;

  private static final int ANY = -2;

  private final int[] tokens;

  private ImageGlob(int[] tokens) {
    this.tokens = tokens;
  }

  /**
   * The glob for names in {@link ImageReference}'s one spelling: a literal registry host is
   * normalised as image names are ({@code Registry.Example.com:05000/**} matches {@code
   * registry.example.com:5000/app}), a glob without one names Docker Hub ({@code nginx} is {@code
   * docker.io/library/nginx}); a glob whose first segment holds a wildcard is taken as written.
   */
  public static ImageGlob compile(String glob) {
    return literal(normalise(glob));
  }

  static String normalise(String glob) {
    int slash = glob.indexOf('/');
    String first = slash < 0 ? glob : glob.substring(0, slash);
    if (first.contains("*")) {
      return glob;
    }
    if (slash > 0 && ImageReference.isRegistry(first)) {
      String registry = ImageReference.registry(first);
      String rest = glob.substring(slash + 1);
      return registry
          + "/"
          + (registry.equals("docker.io") && !rest.contains("/") && !rest.contains("**")
              ? "library/" + rest
              : rest);
    }
    return "docker.io/" + (slash < 0 ? "library/" + glob : glob);
  }

  private static ImageGlob literal(String glob) {
    int[] tokens = new int[glob.length()];
    int n = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        tokens[n++] = ANY;
        i++;
      } else {
        tokens[n++] = c == '*' ? SEGMENT : c;
      }
    }
    return new ImageGlob(java.util.Arrays.copyOf(tokens, n));
  }

  /**
   * Whether an image repository (no tag or digest) matches, in its normalised spelling; a name that
   * cannot be normalised matches nothing.
   */
  public boolean matches(String repository) {
    String name;
    try {
      name = ImageReference.normalise(repository);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return matchesNormalised(name);
  }

  /**
   * Whether the whole name matches, in time proportional to pattern × name: a regular expression of
   * many {@code .*} would backtrack exponentially on names that do not match, in admission.
   */
  private boolean matchesNormalised(String name) {
    // matched[j]: the tokens so far match the first j characters of name
    boolean[] matched = new boolean[name.length() + 1];
    matched[0] = true;
    for (int token : tokens) {
      boolean[] next = new boolean[name.length() + 1];
      for (int j = 0; j <= name.length(); j++) {
        next[j] =
            switch (token) {
              case ANY -> matched[j] || (j > 0 && next[j - 1]);
              case SEGMENT -> matched[j] || (j > 0 && next[j - 1] && name.charAt(j - 1) != '/');
              default -> j > 0 && matched[j - 1] && name.charAt(j - 1) == token;
            };
      }
      matched = next;
    }
    return matched[name.length()];
  }
}
