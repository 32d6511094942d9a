package io.stellaops.agents.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stellaops.agents.driver.DeploymentFailure;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Engine the agent drives, through docker-java over its Unix socket. The API version is
 * pinned to 1.41, which every supported engine (Debian's 20.10 and later) speaks.
 */
public final class DockerEngine implements AutoCloseable {
  public static final String API_VERSION = "1.41";

  private final String host;
  private final DockerClient client;

  public DockerEngine(String host) {
    this.host = host;
    var config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion(API_VERSION)
            .build();
    var http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(URI.create(host))
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(5))
            .build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  /** {@code DOCKER_HOST}, else the standard socket. */
  public static String defaultHost(Map<String, String> environment) {
    return environment.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
  }

  public String host() {
    return host;
  }

  public DockerClient client() {
    return client;
  }

  /** Null when the engine answers, else what went wrong. */
  public String unreachableReason() {
    try {
      client.pingCmd().exec();
      return null;
    } catch (RuntimeException e) {
      return "Docker Engine at " + host + " does not answer: " + e.getMessage();
    }
  }

  /** Pulls {@code repo@sha256:…} and checks that the engine now holds exactly that manifest. */
  public void pullPinned(String repository, String digest) throws DeploymentFailure {
    String reference = repository + "@" + digest;
    try {
      client.pullImageCmd(reference).start().awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeploymentFailure("interrupted while pulling " + reference);
    } catch (RuntimeException e) {
      throw new DeploymentFailure(
          "pull of "
              + reference
              + " failed: "
              + e.getMessage()
              + " (was the image deleted or its tag re-pushed and the old manifest removed?)",
          e);
    }
    List<String> repoDigests;
    try {
      repoDigests = client.inspectImageCmd(reference).exec().getRepoDigests();
    } catch (NotFoundException e) {
      throw new DeploymentFailure("pulled " + reference + " but the engine does not have it", e);
    }
    if (repoDigests == null || !repoDigests.contains(reference)) {
      throw new DeploymentFailure(
          "digest mismatch: the engine pulled "
              + repository
              + " with RepoDigests "
              + repoDigests
              + ", not "
              + digest
              + "; nothing was changed");
    }
  }

  public Optional<InspectContainerResponse> inspect(String nameOrId) {
    try {
      return Optional.of(client.inspectContainerCmd(nameOrId).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** All containers (running or not) carrying every one of {@code labels}. */
  public List<Container> containers(Map<String, String> labels) {
    return client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  public void removeQuietly(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // already gone
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
