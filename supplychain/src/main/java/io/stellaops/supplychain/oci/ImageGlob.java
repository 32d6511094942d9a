package io.stellaops.supplychain.oci;

import java.util.regex.Pattern;

/**
 * TrustPolicy image globs: {@code *} matches within one path segment, {@code **} across segments,
 * e.g. {@code registry.example.com/shop/**}. Hand-written because the two rules are the whole
 * syntax and java.nio's glob matcher works on file-system paths.
 */
public final class ImageGlob {
  private final Pattern pattern;

  private ImageGlob(Pattern pattern) {
    this.pattern = pattern;
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
    StringBuilder regex = new StringBuilder("^");
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ImageGlob(Pattern.compile(regex.append('$').toString()));
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
    return pattern.matcher(name).matches();
  }
}
