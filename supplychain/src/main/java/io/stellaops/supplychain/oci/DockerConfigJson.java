package io.stellaops.supplychain.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials in the {@code .dockerconfigjson} format of {@code
 * kubernetes.io/dockerconfigjson} Secrets: {@code auths} keyed by registry host (optionally with
 * scheme and path), each with {@code auth} (base64 user:password) or {@code username} and {@code
 * password}.
 */
public final class DockerConfigJson {
  private final Map<String, RegistryClient.Credentials> byHost;

  private DockerConfigJson(Map<String, RegistryClient.Credentials> byHost) {
    this.byHost = byHost;
  }

  /** Parses the file; throws IllegalArgumentException saying what is wrong with it. */
  public static DockerConfigJson parse(byte[] json) {
    JsonNode root;
    try {
      root = CanonicalJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.path("auths").isObject()) {
      throw new IllegalArgumentException("no \"auths\" object");
    }
    Map<String, RegistryClient.Credentials> byHost = new LinkedHashMap<>();
    for (var entry : root.path("auths").properties()) {
      JsonNode auth = entry.getValue();
      String user = auth.path("username").asText(null);
      String password = auth.path("password").asText(null);
      if (auth.hasNonNull("auth")) {
        String decoded;
        try {
          decoded =
              new String(
                  Base64.getDecoder().decode(auth.get("auth").asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("auths." + entry.getKey() + ".auth is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException(
              "auths." + entry.getKey() + ".auth is not base64 of user:password");
        }
        user = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
      if (user != null && password != null) {
        byHost.put(host(entry.getKey()), new RegistryClient.Credentials(user, password));
      }
    }
    return new DockerConfigJson(byHost);
  }

  /** The credentials for {@code registry} (host[:port]), if the file has them. */
  public Optional<RegistryClient.Credentials> forRegistry(String registry) {
    return Optional.ofNullable(byHost.get(ImageReference.registry(registry)));
  }

  /**
   * "https://index.docker.io/v1/" → "docker.io", "127.0.0.1:5000" stays: the registry in {@link
   * ImageReference}'s spelling.
   */
  private static String host(String key) {
    String host = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = host.indexOf('/');
    return ImageReference.registry(slash < 0 ? host : host.substring(0, slash));
  }
}
