package io.stellaops.agents;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.supplychain.logging.LogSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The agent process. Authenticates with the kubeconfig it is given (its own service account's
 * token), needs no inbound port, and stops cleanly on SIGTERM.
 */
public final class StellaAgent {
  private StellaAgent() {}

  /** The build's version, from a resource so it survives both the shaded jar and the image. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in =
        StellaAgent.class.getResourceAsStream("/stella-agent-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "dev";
    }
    String version = p.getProperty("version", "dev");
    return version.startsWith("${") ? "dev" : version;
  }

  public static void main(String[] args) throws Exception {
    try {
      LogSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException misconfigured) {
      System.err.println("stella-agent: " + misconfigured.getMessage());
      System.exit(2);
      return;
    }
    var client = new KubernetesClientBuilder().build();
    String namespace = Objects.requireNonNullElse(client.getNamespace(), "default");
    AgentRuntime runtime;
    try {
      var settings = AgentSettings.fromEnvironment(System.getenv(), namespace);
      var docker = new DockerEngine(settings.dockerHost());
      runtime =
          new AgentRuntime(
              client, settings, Drivers.standard(docker), version(), Clock.systemUTC());
      runtime.start();
    } catch (IllegalArgumentException
        | IllegalStateException
        | KubernetesClientException misconfigured) {
      // a setup mistake, not a crash: one line that says what to fix
      System.err.println("stella-agent: " + misconfigured.getMessage());
      client.close();
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  client.close();
                  stopped.countDown();
                },
                "stella-agent-shutdown"));
    stopped.await();
  }
}
