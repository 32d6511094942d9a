package io.stellaops.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.agents.driver.Drivers;
import io.stellaops.agents.driver.ecs.EcsDriver;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.agent.AgentSpec;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import io.stellaops.crds.target.EcsSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.crds.target.TargetSpec;
import io.stellaops.supplychain.LocalMoto;
import io.stellaops.supplychain.digest.Sha256;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * ECS targets through the AWS SDK against moto's ECS emulator: task definitions pinned by digest,
 * sidecars untouched, the service updated and followed, a rollout that never becomes steady rolled
 * back to the task definition the service ran.
 */
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsAgentIT {
  static final String NS = "cloud";
  static final String REGION = "eu-west-1";
  static final String API = "registry.example.com/shop/api";
  static final String SIDECAR = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  static KubernetesClient client;
  static EcsClient ecs;
  static AgentRuntime agent;
  static String endpoint;

  @BeforeAll
  static void setUp() throws Exception {
    AgentTestSupport.installCrds(client, NS);
    endpoint = LocalMoto.endpoint();
    ecs =
        EcsClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(URI.create(endpoint))
            .credentialsProvider(CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    ecs.createCluster(r -> r.clusterName("prod"));
    service("api", LocalMoto.RUNNING);
    service("batch", LocalMoto.RUNNING + 1);

    Agent a = new Agent();
    a.getMetadata().setName("aws-01");
    a.setSpec(new AgentSpec("aws-agent", List.of(TargetType.ECS), "10s", 2));
    client.resource(a).inNamespace(NS).create();
    target("shop-api", "api", "shop-api", "20s");
    target("shop-batch", "batch", "shop-batch", "3s");
    target("missing", "payments", "payments", "20s");

    agent =
        new AgentRuntime(
            AgentTestSupport.agentClient(client, NS, "aws-agent"),
            new AgentSettings(
                "aws-01",
                NS,
                Files.createTempDirectory("stella-agent"),
                null,
                Duration.ofSeconds(1),
                "ecs-host"),
            new Drivers(List.of(new EcsDriver(CREDENTIALS, Duration.ofMillis(200)))),
            "test",
            Clock.systemUTC());
    agent.start();
  }

  /** A service as a platform team creates it: a first task definition with a log sidecar. */
  private static void service(String name, int desired) {
    String arn =
        ecs.registerTaskDefinition(r ->
                r.family("shop-" + name)
                    .networkMode("awsvpc")
                    .requiresCompatibilitiesWithStrings("FARGATE")
                    .cpu("256")
                    .memory("512")
                    .containerDefinitions(
                        ContainerDefinition.builder()
                            .name(name)
                            .image(API + ":bootstrap")
                            .essential(true)
                            .environment(e -> e.name("MODE").value("production"))
                            .build(),
                        ContainerDefinition.builder()
                            .name("log-router")
                            .image(SIDECAR)
                            .essential(false)
                            .build()))
            .taskDefinition()
            .taskDefinitionArn();
    ecs.createService(
        r -> r.cluster("prod").serviceName(name).taskDefinition(arn).desiredCount(desired));
  }

  private static void target(String name, String service, String family, String timeout) {
    Target t = new Target();
    t.getMetadata().setName(name);
    t.setSpec(
        new TargetSpec(
            "prod",
            TargetType.ECS,
            "aws-01",
            null,
            null,
            null,
            new EcsSettings(REGION, "prod", service, family, endpoint, timeout),
            null));
    client.resource(t).inNamespace(NS).create();
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (ecs != null) {
      ecs.close();
    }
  }

  static String digest(String content) {
    return Sha256.digest(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void deploysV1ThenV2ThenRollsBackWithSidecarsUntouched() {
    String v1 = digest("api 1.0.0");
    String v2 = digest("api 2.0.0");
    DeploymentJob first =
        run("r1", "shop-api", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "api", v1);
    assertSucceeded(first);
    TaskDefinition running = runningTaskDefinition("api");
    assertThat(running.taskDefinitionArn()).endsWith("task-definition/shop-api:2");
    assertThat(images(running)).isEqualTo(Map.of("api", API + "@" + v1, "log-router", SIDECAR));
    assertThat(running.containerDefinitions().getFirst().environment())
        .extracting(e -> e.name() + "=" + e.value())
        .containsExactly("MODE=production");
    assertThat(running.cpu()).isEqualTo("256");
    assertThat(first.getStatus().getObserved())
        .containsExactly(new ComponentDigest("api", API, v1));
    assertThat(first.getStatus().getArtifacts())
        .singleElement()
        .satisfies(a -> {
          assertThat(a.name()).isEqualTo("ecs-task-definition");
          assertThat(a.location()).isEqualTo(running.taskDefinitionArn());
          assertThat(a.digest()).startsWith("sha256:");
        });
    var tags =
        ecs
            .describeTaskDefinition(r ->
                r.taskDefinition(running.taskDefinitionArn()).include(TaskDefinitionField.TAGS))
            .tags()
            .stream()
            .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    assertThat(tags)
        .containsEntry("stellaops.io/release", "shop-1.0.0")
        .containsEntry("stellaops.io/job", "r1-shop-api")
        .containsEntry("stellaops.io/target", "shop-api");

    assertSucceeded(run("r2", "shop-api", "2.0.0", DeploymentJobSpec.Action.DEPLOY, "api", v2));
    assertThat(images(runningTaskDefinition("api"))).containsEntry("api", API + "@" + v2);

    assertSucceeded(
        run("r2-rollback", "shop-api", "1.0.0", DeploymentJobSpec.Action.ROLLBACK, "api", v1));
    TaskDefinition back = runningTaskDefinition("api");
    assertThat(back.taskDefinitionArn()).endsWith("task-definition/shop-api:4");
    assertThat(images(back)).containsEntry("api", API + "@" + v1);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          Target t = client.resources(Target.class).inNamespace(NS).withName("shop-api").get();
          assertThat(t.getStatus().getRunning())
              .containsExactly(new ComponentDigest("api", API, v1));
        });
  }

  @Test
  @Order(2)
  void aJobForWhatAlreadyRunsRegistersNothing() {
    String v1 = digest("api 1.0.0");
    DeploymentJob again =
        run("r1-again", "shop-api", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "api", v1);
    assertSucceeded(again);
    assertThat(again.getStatus().getLogTail()).contains("already runs");
    assertThat(runningTaskDefinition("api").taskDefinitionArn())
        .endsWith("task-definition/shop-api:4");
  }

  @Test
  @Order(3)
  void aRolloutThatNeverBecomesSteadyFailsAndTheServiceGoesBack() {
    String before = service("batch").taskDefinition();
    DeploymentJob job =
        run("r1", "shop-batch", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "batch", digest("b1"));
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage())
        .contains("did not complete within rolloutTimeout 3s")
        .contains("running 2 of 3");
    assertThat(job.getStatus().getLogTail()).contains("pointing service batch back at " + before);
    assertThat(service("batch").taskDefinition()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void theJobsOwnTimeoutCutsTheRolloutShort() {
    String before = service("batch").taskDefinition();
    DeploymentJob job =
        run(
            "r2",
            "shop-batch",
            "2.0.0",
            DeploymentJobSpec.Action.DEPLOY,
            "batch",
            digest("b2"),
            "1s");
    assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(job.getStatus().getMessage())
        .contains("did not complete within the job's timeout 1s");
    assertThat(service("batch").taskDefinition()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void aMissingServiceOrContainerFailsWithTheReason() {
    DeploymentJob noService =
        run("r1", "missing", "1.0.0", DeploymentJobSpec.Action.DEPLOY, "payments", digest("p"));
    assertThat(noService.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(noService.getStatus().getMessage())
        .contains("ECS service payments not found in cluster prod")
        .contains("the agent only updates it");

    DeploymentJob noContainer =
        run("r9", "shop-api", "9.0.0", DeploymentJobSpec.Action.DEPLOY, "web", digest("w"));
    assertThat(noContainer.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(noContainer.getStatus().getMessage())
        .contains("has no container named web")
        .contains("[api, log-router]");
    assertThat(runningTaskDefinition("api").taskDefinitionArn())
        .endsWith("task-definition/shop-api:4");
  }

  private static software.amazon.awssdk.services.ecs.model.Service service(String name) {
    return ecs.describeServices(r -> r.cluster("prod").services(name)).services().getFirst();
  }

  private static TaskDefinition runningTaskDefinition(String service) {
    return ecs.describeTaskDefinition(r -> r.taskDefinition(service(service).taskDefinition()))
        .taskDefinition();
  }

  private static Map<String, String> images(TaskDefinition definition) {
    return definition.containerDefinitions().stream()
        .collect(Collectors.toMap(ContainerDefinition::name, ContainerDefinition::image));
  }

  private static void assertSucceeded(DeploymentJob job) {
    assertThat(job.getStatus().getPhase())
        .as(job.getStatus().getMessage() + "\n" + job.getStatus().getLogTail())
        .isEqualTo(JobPhase.SUCCEEDED);
  }

  private static DeploymentJob run(
      String promotion,
      String target,
      String version,
      DeploymentJobSpec.Action action,
      String component,
      String digest) {
    return run(promotion, target, version, action, component, digest, null);
  }

  private static DeploymentJob run(
      String promotion,
      String target,
      String version,
      DeploymentJobSpec.Action action,
      String component,
      String digest,
      String timeout) {
    return AgentTestSupport.runJob(
        client,
        NS,
        "aws-01",
        new DeploymentJobSpec(
            promotion,
            target,
            "aws-01",
            action,
            "shop-" + version,
            version,
            List.of(new ComponentDigest(component, API, digest)),
            timeout),
        Duration.ofSeconds(60));
  }
}
