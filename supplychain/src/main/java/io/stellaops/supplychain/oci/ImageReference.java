package io.stellaops.supplychain.oci;

/**
 * An image repository split into registry host and repository path, with Docker's defaults ({@code
 * docker.io}, {@code library/}) for names without a registry.
 */
public record ImageReference(String registry, String repository) {
  public static ImageReference parse(String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean hasRegistry =
        slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (!hasRegistry) {
      return new ImageReference("docker.io", image.contains("/") ? image : "library/" + image);
    }
    return new ImageReference(first, image.substring(slash + 1));
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
