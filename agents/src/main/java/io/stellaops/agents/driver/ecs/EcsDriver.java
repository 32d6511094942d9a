package io.stellaops.agents.driver.ecs;

import io.stellaops.agents.driver.DeployResult;
import io.stellaops.agents.driver.Deployment;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.JobLog;
import io.stellaops.agents.driver.TargetDriver;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.target.EcsSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.time.GoDuration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Deploys to an existing ECS service: copies the task definition the service runs, pins each
 * release component's container to its digest, registers it as a new revision of the Target's task
 * family, points the service at it and follows the rollout ({@link EcsRollout}). A rollout that
 * fails or outlasts {@code rolloutTimeout} points the service back at the task definition it ran.
 *
 * <p>Containers are matched to release components by name; other containers (sidecars) keep their
 * images. The service and its first task definition belong to the platform team: the agent never
 * creates or deletes them.
 */
public final class EcsDriver implements TargetDriver {
  static final String ARTIFACT = "ecs-task-definition";

  private final Function<EcsSettings, EcsClient> clients;
  private final Duration pollInterval;

  /** Credentials from the default AWS chain: environment, profile, web identity, instance role. */
  public EcsDriver() {
    this(DefaultCredentialsProvider.builder().build(), Duration.ofSeconds(5));
  }

  public EcsDriver(AwsCredentialsProvider credentials, Duration pollInterval) {
    this(settings -> client(settings, credentials), pollInterval);
  }

  EcsDriver(Function<EcsSettings, EcsClient> clients, Duration pollInterval) {
    this.clients = clients;
    this.pollInterval = pollInterval;
  }

  private static EcsClient client(EcsSettings settings, AwsCredentialsProvider credentials) {
    var builder =
        EcsClient.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create());
    if (settings.endpoint() != null) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return builder.build();
  }

  @Override
  public TargetType type() {
    return TargetType.ECS;
  }

  @Override
  public String unavailableReason() {
    return null; // reachability and credentials are per target; a failing call names both
  }

  @Override
  public DeployResult deploy(Deployment deployment, JobLog log) throws DeploymentFailure {
    EcsSettings settings = deployment.target().getSpec().ecs();
    try (EcsClient ecs = clients.apply(settings)) {
      Service service = service(ecs, settings);
      String previous = service.taskDefinition();
      TaskDefinition current = taskDefinition(ecs, previous);
      Map<String, String> wanted = pinnedImages(deployment.components(), current);
      TaskDefinition next;
      if (wanted.equals(imagesOf(current, wanted.keySet()))) {
        log.info("service " + settings.service() + " already runs " + previous);
        next = current;
      } else {
        next =
            ecs.registerTaskDefinition(register(current, settings.taskFamily(), wanted, deployment))
                .taskDefinition();
        log.info("registered " + next.taskDefinitionArn() + " pinning " + wanted.values());
        ecs.updateService(r ->
            r.cluster(settings.cluster())
                .service(settings.service())
                .taskDefinition(next.taskDefinitionArn()));
        log.info("service " + settings.service() + " updated from " + previous);
      }
      try {
        awaitRollout(ecs, settings, next.taskDefinitionArn(), deployment, log);
      } catch (DeploymentFailure failure) {
        if (!previous.equals(next.taskDefinitionArn())) {
          log.info("pointing service " + settings.service() + " back at " + previous);
          ecs.updateService(r ->
              r.cluster(settings.cluster()).service(settings.service()).taskDefinition(previous));
        }
        throw failure;
      }
      return new DeployResult(observed(next, deployment.target()), List.of(artifact(next)));
    } catch (SdkException e) {
      throw new DeploymentFailure(
          "ECS API in " + settings.region() + " failed: " + e.getMessage(), e);
    }
  }

  private void awaitRollout(
      EcsClient ecs, EcsSettings settings, String arn, Deployment deployment, JobLog log)
      throws DeploymentFailure {
    Deployment.Wait wait =
        deployment.waitFor(
            GoDuration.parse(settings.rolloutTimeout()),
            "rolloutTimeout " + settings.rolloutTimeout());
    String lastReason = null;
    while (true) {
      EcsRollout rollout = EcsRollout.of(service(ecs, settings), arn);
      if (!rollout.reason().equals(lastReason)) {
        log.info("rollout " + rollout.state() + ": " + rollout.reason());
        lastReason = rollout.reason();
      }
      switch (rollout.state()) {
        case COMPLETED -> {
          return;
        }
        case FAILED ->
            throw new DeploymentFailure(
                "ECS deployment of " + arn + " failed: " + rollout.reason());
        case IN_PROGRESS -> {}
      }
      if (wait.over()) {
        throw new DeploymentFailure(
            "ECS deployment of "
                + arn
                + " did not complete within "
                + wait.limit()
                + ": "
                + rollout.reason());
      }
      try {
        Thread.sleep(pollInterval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeploymentFailure("interrupted while waiting for the ECS deployment of " + arn);
      }
    }
  }

  private static Service service(EcsClient ecs, EcsSettings settings) throws DeploymentFailure {
    DescribeServicesResponse answer =
        ecs.describeServices(r -> r.cluster(settings.cluster()).services(settings.service()));
    if (!answer.hasServices() || answer.services().isEmpty()) {
      String reason =
          answer.failures().stream()
              .map(f -> f.arn() + ": " + f.reason())
              .collect(Collectors.joining(", "));
      throw new DeploymentFailure(
          "ECS service "
              + settings.service()
              + " not found in cluster "
              + settings.cluster()
              + " ("
              + settings.region()
              + (reason.isEmpty() ? "" : ", " + reason)
              + "): create the service with a first task definition; the agent only updates it");
    }
    Service service = answer.services().getFirst();
    if (!"ACTIVE".equals(service.status())) {
      throw new DeploymentFailure(
          "ECS service " + settings.service() + " is " + service.status() + ", not ACTIVE");
    }
    return service;
  }

  private static TaskDefinition taskDefinition(EcsClient ecs, String arn) {
    return ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS))
        .taskDefinition();
  }

  /** Container name → {@code repo@sha256:…} for each component, which must name a container. */
  private static Map<String, String> pinnedImages(
      List<ComponentDigest> components, TaskDefinition current) throws DeploymentFailure {
    Set<String> containers =
        current.containerDefinitions().stream()
            .map(ContainerDefinition::name)
            .collect(Collectors.toSet());
    Map<String, String> wanted = new LinkedHashMap<>();
    for (ComponentDigest c : components) {
      if (!containers.contains(c.name())) {
        throw new DeploymentFailure(
            "task definition "
                + current.taskDefinitionArn()
                + " has no container named "
                + c.name()
                + " (it has "
                + containers.stream().sorted().toList()
                + "): containers are matched to release components by name");
      }
      wanted.put(c.name(), Deployment.pinned(c));
    }
    return wanted;
  }

  private static Map<String, String> imagesOf(TaskDefinition definition, Set<String> names) {
    Map<String, String> images = new LinkedHashMap<>();
    definition.containerDefinitions().stream()
        .filter(c -> names.contains(c.name()))
        .forEach(c -> images.put(c.name(), c.image()));
    return images;
  }

  static RegisterTaskDefinitionRequest register(
      TaskDefinition current, String family, Map<String, String> images, Deployment deployment) {
    List<ContainerDefinition> containers =
        current.containerDefinitions().stream()
            .map(c ->
                images.containsKey(c.name())
                    ? c.toBuilder().image(images.get(c.name())).build()
                    : c)
            .toList();
    return RegisterTaskDefinitionRequest.builder()
        .family(family)
        .containerDefinitions(containers)
        .taskRoleArn(current.taskRoleArn())
        .executionRoleArn(current.executionRoleArn())
        .networkMode(current.networkModeAsString())
        .volumes(current.volumes())
        .placementConstraints(current.placementConstraints())
        .requiresCompatibilitiesWithStrings(current.requiresCompatibilitiesAsStrings())
        .cpu(current.cpu())
        .memory(current.memory())
        .pidMode(current.pidModeAsString())
        .ipcMode(current.ipcModeAsString())
        .proxyConfiguration(current.proxyConfiguration())
        .inferenceAccelerators(current.inferenceAccelerators())
        .ephemeralStorage(current.ephemeralStorage())
        .runtimePlatform(current.runtimePlatform())
        .enableFaultInjection(current.enableFaultInjection())
        .tags(
            deployment.stamps().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList())
        .build();
  }

  /** The registered task definition, named by ARN, its digest over the images it pins. */
  private static ArtifactRef artifact(TaskDefinition definition) {
    Map<String, Object> pins = new LinkedHashMap<>();
    pins.put("taskDefinitionArn", definition.taskDefinitionArn());
    pins.put(
        "containers",
        definition.containerDefinitions().stream()
            .map(c -> Map.of("name", c.name(), "image", c.image()))
            .toList());
    return new ArtifactRef(
        ARTIFACT, CanonicalJson.digest(pins), "application/json", definition.taskDefinitionArn());
  }

  @Override
  public List<ComponentDigest> observe(Target target) throws DeploymentFailure {
    EcsSettings settings = target.getSpec().ecs();
    try (EcsClient ecs = clients.apply(settings)) {
      Service service = service(ecs, settings);
      // the service's own task definition, not a deployment record that may be stale
      return observed(taskDefinition(ecs, service.taskDefinition()), target);
    } catch (SdkException e) {
      throw new DeploymentFailure(
          "ECS API in " + settings.region() + " failed: " + e.getMessage(), e);
    }
  }

  private static List<ComponentDigest> observed(TaskDefinition definition, Target target) {
    List<String> only = target.getSpec().components();
    List<ComponentDigest> observed = new ArrayList<>();
    for (ContainerDefinition c : definition.containerDefinitions()) {
      int at = c.image() == null ? -1 : c.image().indexOf("@sha256:");
      if (at > 0 && (only == null || only.isEmpty() || only.contains(c.name()))) {
        observed.add(
            new ComponentDigest(c.name(), c.image().substring(0, at), c.image().substring(at + 1)));
      }
    }
    observed.sort(Comparator.comparing(ComponentDigest::name));
    return observed;
  }
}
