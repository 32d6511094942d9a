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

  public static ImageGlob compile(String glob) {
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

  /** Whether an image repository (no tag or digest) matches. */
  public boolean matches(String repository) {
    return pattern.matcher(repository).matches();
  }
}
