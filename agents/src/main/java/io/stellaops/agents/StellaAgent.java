package io.stellaops.agents;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.docker.DockerEngine;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * The agent process. Authenticates with the kubeconfig it is given (its own service account's
 * token), needs no inbound port, and stops cleanly on SIGTERM.
 */
public final class StellaAgent {
  private StellaAgent() {}

  public static String version() {
    return Objects.requireNonNullElse(
        StellaAgent.class.getPackage().getImplementationVersion(), "dev");
  }

  public static void main(String[] args) throws Exception {
    var client = new KubernetesClientBuilder().build();
    String namespace = Objects.requireNonNullElse(client.getNamespace(), "default");
    var settings = AgentSettings.fromEnvironment(System.getenv(), namespace);
    var docker = new DockerEngine(settings.dockerHost());
    var runtime =
        new AgentRuntime(client, settings, Drivers.standard(docker), version(), Clock.systemUTC());
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
    runtime.start();
    stopped.await();
  }
}
