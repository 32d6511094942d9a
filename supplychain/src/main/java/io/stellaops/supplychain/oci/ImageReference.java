package io.stellaops.supplychain.oci;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An image repository split into registry host and repository path, in one spelling whatever way it
 * was written: Docker's defaults ({@code docker.io}, {@code library/}) for names without a
 * registry, {@code index.docker.io} and {@code registry-1.docker.io} as {@code docker.io}, the host
 * in lower case (DNS names are case-insensitive) and the port without leading zeros. Policies match
 * and digests are compared on this form, so no spelling of a name escapes a TrustPolicy. A path
 * that is not lower case is refused: registries treat it as another repository or reject it.
 */
public record ImageReference(String registry, String repository) {
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
  // the distribution spec's path component
  static final int MAX_LENGTH = 255;
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  /**
   * A name with its tag or digest, {@code repository:tag} or {@code repository@sha256:…}, split in
   * two as written (not normalised).
   */
  public record Named(String repository, String reference) {
    /** {@code name} split; empty when it names no tag or digest. */
    public static java.util.Optional<Named> split(String name) {
      int at = name.indexOf('@');
      int colon = name.lastIndexOf(':');
      if (at > 0) {
        return java.util.Optional.of(new Named(name.substring(0, at), name.substring(at + 1)));
      }
      if (colon > name.lastIndexOf('/')) {
        return java.util.Optional.of(
            new Named(name.substring(0, colon), name.substring(colon + 1)));
      }
      return java.util.Optional.empty();
    }

    public boolean byDigest() {
      return reference.startsWith("sha256:");
    }

    /** {@code repository:tag} or {@code repository@digest} again. */
    @Override
    public String toString() {
      return repository + (byDigest() ? "@" : ":") + reference;
    }
  }

  /**
   * Parses and normalises {@code image} (no tag or digest).
   *
   * @throws IllegalArgumentException naming what is wrong with the name
   */
  public static ImageReference parse(String image) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("the image name is empty");
    }
    if (image.length() > MAX_LENGTH) {
      // also keeps the component pattern (which recurses per repetition) within the stack
      throw new IllegalArgumentException(
          "the image name is "
              + image.length()
              + " characters long, more than the "
              + MAX_LENGTH
              + " registries accept for registry/repository (the OCI distribution spec's note)");
    }
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    String registry;
    String repository;
    if (slash > 0 && isRegistry(first)) {
      registry = registry(first);
      repository = image.substring(slash + 1);
    } else {
      registry = "docker.io";
      repository = image;
    }
    if (registry.equals("docker.io") && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "image "
                + image
                + ": repository path component \""
                + component
                + "\" is not lower-case letters and digits joined by . _ __ or -"
                + " (the OCI distribution spec's rule)");
      }
    }
    return new ImageReference(registry, repository);
  }

  /** The one spelling of {@code image}, e.g. {@code nginx} → {@code docker.io/library/nginx}. */
  public static String normalise(String image) {
    return parse(image).toString();
  }

  /** Whether the first path segment of a name is a registry host, as Docker decides it. */
  static boolean isRegistry(String first) {
    return first.contains(".") || first.contains(":") || first.equalsIgnoreCase("localhost");
  }

  /**
   * A registry host in its one spelling: lower case, port without leading zeros, Docker Hub's
   * aliases as {@code docker.io}.
   *
   * @throws IllegalArgumentException when the port is not a port
   */
  public static String registry(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    int colon = lower.lastIndexOf(':');
    if (colon > lower.lastIndexOf(']')) {
      String port = lower.substring(colon + 1);
      long number = port.matches("[0-9]{1,12}") ? Long.parseLong(port) : -1;
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("registry " + host + ": \"" + port + "\" is not a port");
      }
      lower = lower.substring(0, colon) + ":" + number;
    }
    return DOCKER_HUB.contains(lower) ? "docker.io" : lower;
  }

  /** Loopback registries speak plain HTTP, as dockerd treats 127.0.0.0/8 as insecure. */
  public boolean plainHttp() {
    String host =
        registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  /** The API base over plain HTTP or HTTPS, as the caller decided. */
  public String apiBase(boolean plainHttp) {
    String host = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    return (plainHttp ? "http://" : "https://") + host + "/v2/" + repository;
  }

  @Override
  public String toString() {
    return registry + "/" + repository;
  }
}
