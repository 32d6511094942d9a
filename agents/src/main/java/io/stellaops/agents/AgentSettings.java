package io.stellaops.agents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How an agent runs. From the environment: {@code STELLA_AGENT_NAME} (the Agent resource,
 * required), {@code STELLA_AGENT_NAMESPACE} (default: the kubeconfig's namespace), {@code
 * STELLA_AGENT_DATA_DIR} (lockfiles and default sticker place, default /var/lib/stella-agent),
 * {@code STELLA_AGENT_OBSERVE_INTERVAL} (how often targets are looked at, default 30s) and {@code
 * DOCKER_HOST}.
 */
public record AgentSettings(
    String name,
    String namespace,
    Path dataDirectory,
    String dockerHost,
    Duration observeInterval,
    String hostname) {

  public static AgentSettings fromEnvironment(Map<String, String> env, String defaultNamespace) {
    String name = env.get("STELLA_AGENT_NAME");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "STELLA_AGENT_NAME must name this agent's Agent resource (see docs/agents.md)");
    }
    return new AgentSettings(
        name,
        env.getOrDefault("STELLA_AGENT_NAMESPACE", defaultNamespace),
        Path.of(env.getOrDefault("STELLA_AGENT_DATA_DIR", "/var/lib/stella-agent")),
        io.stellaops.agents.driver.docker.DockerEngine.defaultHost(env),
        io.stellaops.supplychain.time.GoDuration.parse(
            env.getOrDefault("STELLA_AGENT_OBSERVE_INTERVAL", "30s")),
        hostname(env));
  }

  private static String hostname(Map<String, String> env) {
    String host = env.get("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }
}
