package io.stellaops.agents.driver.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.agents.driver.DeployResult;
import io.stellaops.agents.driver.Deployment;
import io.stellaops.agents.driver.DeploymentFailure;
import io.stellaops.agents.driver.JobLog;
import io.stellaops.agents.driver.TargetDriver;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.common.TargetType;
import io.stellaops.crds.target.NomadSettings;
import io.stellaops.crds.target.Target;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deploys to an existing Nomad service job: pins each release component's docker task (matched by
 * task name) to its digest, registers the job only if nobody changed it meanwhile, and follows the
 * Nomad deployment of the new job version. A failed deployment, or one still running after {@code
 * deploymentTimeout} (then failed in Nomad), reverts the job to the version it had.
 *
 * <p>The job and its {@code update} blocks belong to the platform team; the agent never creates or
 * stops jobs.
 */
public final class NomadDriver implements TargetDriver {
  static final String ARTIFACT = "nomad-job";
  private static final Set<String> WHY_EVENTS =
      Set.of("Terminated", "Not Restarting", "Driver Failure", "Failed Validation");

  private final String token;
  private final Duration pollWait;

  /** The ACL token comes from {@code NOMAD_TOKEN}, as for the nomad CLI. */
  public NomadDriver() {
    this(System.getenv("NOMAD_TOKEN"), Duration.ofSeconds(10));
  }

  public NomadDriver(String token, Duration pollWait) {
    this.token = token;
    this.pollWait = pollWait;
  }

  @Override
  public TargetType type() {
    return TargetType.NOMAD;
  }

  @Override
  public String unavailableReason() {
    return null; // the Nomad address is per target; a failing call names it
  }

  private NomadApi api(NomadSettings settings) {
    return new NomadApi(settings.address(), settings.namespace(), token);
  }

  @Override
  public DeployResult deploy(Deployment deployment, JobLog log) throws DeploymentFailure {
    NomadSettings settings = deployment.target().getSpec().nomad();
    NomadApi api = api(settings);
    JsonNode current = existingJob(api, settings);
    Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    ObjectNode next = current.deepCopy();
    for (ComponentDigest c : deployment.components()) {
      tasks.put(c.name(), dockerTask(next, c.name(), settings));
    }
    long previous = current.path("Version").asLong();
    long version = previous;
    boolean changed =
        deployment.components().stream()
            .anyMatch(c ->
                !Deployment.pinned(c)
                    .equals(tasks.get(c.name()).path("Config").path("image").asText()));
    if (!changed) {
      log.info("job " + settings.job() + " already runs these digests at version " + previous);
    } else {
      deployment
          .components()
          .forEach(c ->
              ((ObjectNode) tasks.get(c.name()).withObject("Config"))
                  .put("image", Deployment.pinned(c)));
      ObjectNode meta = next.withObject("Meta");
      deployment.stamps().forEach(meta::put);
      if (settings.datacenters() != null && !settings.datacenters().isEmpty()) {
        ArrayNode dcs = next.putArray("Datacenters");
        settings.datacenters().forEach(dcs::add);
      }
      JsonNode answer = api.register(next, current.path("JobModifyIndex").asLong());
      JsonNode registered = existingJob(api, settings);
      if (registered.path("JobModifyIndex").asLong() != answer.path("JobModifyIndex").asLong()) {
        throw new DeploymentFailure(
            "job " + settings.job() + " changed again right after registration; not following it");
      }
      version = registered.path("Version").asLong();
      log.info(
          "registered job " + settings.job() + " version " + version + " (was " + previous + ")");
    }
    try {
      awaitDeployment(api, settings, version, deployment, log);
      checkAllocations(api, settings, version, deployment.components());
    } catch (DeploymentFailure failure) {
      if (version != previous) {
        log.info("reverting job " + settings.job() + " to version " + previous);
        try {
          api.revert(settings.job(), previous, version);
        } catch (DeploymentFailure revert) {
          log.info("revert not applied (Nomad may have reverted already): " + revert.getMessage());
        }
      }
      throw failure;
    }
    JsonNode running = existingJob(api, settings);
    return new DeployResult(
        observed(running, deployment.target()), List.of(artifact(running, settings)));
  }

  private void awaitDeployment(
      NomadApi api, NomadSettings settings, long version, Deployment deployment, JobLog log)
      throws DeploymentFailure {
    Deployment.Wait wait =
        deployment.waitFor(
            GoDuration.parse(settings.deploymentTimeout()),
            "deploymentTimeout " + settings.deploymentTimeout());
    Instant deadline = wait.until();
    long index = 0;
    String last = null;
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      NomadApi.Answer answer =
          api.latestDeployment(
              settings.job(), index, left.isNegative() ? Duration.ZERO : min(left, pollWait));
      index = answer.index();
      JsonNode d = answer.body();
      String state;
      if (d == null || d.path("JobVersion").asLong() < version) {
        state = "waiting for Nomad to start the deployment of version " + version;
      } else if (d.path("JobVersion").asLong() > version) {
        throw new DeploymentFailure(
            "job "
                + settings.job()
                + " moved on to version "
                + d.path("JobVersion").asLong()
                + " while version "
                + version
                + " was deploying");
      } else {
        String status = d.path("Status").asText();
        state = status + ": " + d.path("StatusDescription").asText() + health(d);
        switch (status) {
          case "successful" -> {
            log.info("deployment " + d.path("ID").asText() + " " + state);
            return;
          }
          case "failed", "cancelled" ->
              throw new DeploymentFailure(
                  "Nomad deployment of job "
                      + settings.job()
                      + " version "
                      + version
                      + " "
                      + state);
          default -> {}
        }
      }
      if (!state.equals(last)) {
        log.info(state);
        last = state;
      }
      if (!Instant.now().isBefore(deadline)) {
        if (d != null && d.path("JobVersion").asLong() == version) {
          api.failDeployment(d.path("ID").asText());
        }
        throw new DeploymentFailure(
            "Nomad deployment of job "
                + settings.job()
                + " version "
                + version
                + " did not succeed within "
                + wait.limit()
                + ": "
                + state);
      }
    }
  }

  /**
   * Nomad can call a deployment healthy while a task of the group has already died (seen with
   * several tasks per group): every allocation of the version must run every component's task.
   */
  private static void checkAllocations(
      NomadApi api, NomadSettings settings, long version, List<ComponentDigest> components)
      throws DeploymentFailure {
    JsonNode allocations = api.allocations(settings.job());
    for (JsonNode alloc : allocations == null ? List.<JsonNode>of() : allocations) {
      if (alloc.path("JobVersion").asLong() != version
          || "stop".equals(alloc.path("DesiredStatus").asText())) {
        continue;
      }
      for (ComponentDigest c : components) {
        JsonNode task = alloc.path("TaskStates").path(c.name());
        if (task.isMissingNode() || !"running".equals(task.path("State").asText())) {
          List<String> why = new ArrayList<>();
          for (JsonNode event : task.path("Events")) {
            if (WHY_EVENTS.contains(event.path("Type").asText())) {
              why.add(event.path("DisplayMessage").asText());
            }
          }
          String last = why.isEmpty() ? "" : ": " + String.join("; ", why);
          throw new DeploymentFailure(
              "Nomad deployment of job "
                  + settings.job()
                  + " version "
                  + version
                  + " succeeded, but in allocation "
                  + alloc.path("ID").asText().substring(0, 8)
                  + " ("
                  + alloc.path("ClientStatus").asText()
                  + ") task "
                  + c.name()
                  + " is "
                  + task.path("State").asText("missing")
                  + last);
        }
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  /** "; web: 1 healthy, 0 unhealthy of 1" per task group. */
  private static String health(JsonNode deployment) {
    StringBuilder text = new StringBuilder();
    deployment
        .path("TaskGroups")
        .properties()
        .forEach(group -> {
          JsonNode g = group.getValue();
          text.append("; ")
              .append(group.getKey())
              .append(": ")
              .append(g.path("HealthyAllocs").asInt())
              .append(" healthy, ")
              .append(g.path("UnhealthyAllocs").asInt())
              .append(" unhealthy of ")
              .append(g.path("DesiredTotal").asInt());
        });
    return text.toString();
  }

  private static JsonNode existingJob(NomadApi api, NomadSettings settings)
      throws DeploymentFailure {
    JsonNode job = api.job(settings.job());
    if (job == null) {
      throw new DeploymentFailure(
          "Nomad job "
              + settings.job()
              + " not found in namespace "
              + settings.namespace()
              + " at "
              + settings.address()
              + ": register it with an update block first; the agent only updates it");
    }
    if (!"service".equals(job.path("Type").asText())) {
      throw new DeploymentFailure(
          "Nomad job "
              + settings.job()
              + " is of type "
              + job.path("Type").asText()
              + ": only service jobs have deployments to follow");
    }
    return job;
  }

  /** The docker task named {@code component}; its group must be tracked by deployments. */
  private static ObjectNode dockerTask(JsonNode job, String component, NomadSettings settings)
      throws DeploymentFailure {
    TreeSet<String> dockerTasks = new TreeSet<>();
    for (JsonNode group : job.path("TaskGroups")) {
      for (JsonNode task : group.path("Tasks")) {
        if (!"docker".equals(task.path("Driver").asText())) {
          continue;
        }
        dockerTasks.add(task.path("Name").asText());
        if (component.equals(task.path("Name").asText())) {
          if (group.path("Update").path("MaxParallel").asInt() <= 0) {
            throw new DeploymentFailure(
                "task group "
                    + group.path("Name").asText()
                    + " of Nomad job "
                    + settings.job()
                    + " has no update block with max_parallel > 0, so Nomad tracks no"
                    + " deployment for it: add one");
          }
          return (ObjectNode) task;
        }
      }
    }
    throw new DeploymentFailure(
        "Nomad job "
            + settings.job()
            + " has no docker task named "
            + component
            + " (it has "
            + dockerTasks
            + "): tasks are matched to release components by name");
  }

  /** The registered job version, located by ID and version, its digest over the job as run. */
  private static ArtifactRef artifact(JsonNode job, NomadSettings settings) {
    return new ArtifactRef(
        ARTIFACT,
        CanonicalJson.digest(job),
        "application/json",
        settings.address()
            + "/v1/job/"
            + settings.job()
            + "/versions#"
            + job.path("Version").asLong());
  }

  @Override
  public List<ComponentDigest> observe(Target target) throws DeploymentFailure {
    JsonNode job = api(target.getSpec().nomad()).job(target.getSpec().nomad().job());
    return job == null ? List.of() : observed(job, target);
  }

  private static List<ComponentDigest> observed(JsonNode job, Target target) {
    List<String> only = target.getSpec().components();
    List<ComponentDigest> observed = new ArrayList<>();
    for (JsonNode group : job.path("TaskGroups")) {
      for (JsonNode task : group.path("Tasks")) {
        String name = task.path("Name").asText();
        String image = task.path("Config").path("image").asText("");
        int at = image.indexOf("@sha256:");
        if ("docker".equals(task.path("Driver").asText())
            && at > 0
            && (only == null || only.isEmpty() || only.contains(name))) {
          observed.add(new ComponentDigest(name, image.substring(0, at), image.substring(at + 1)));
        }
      }
    }
    observed.sort(Comparator.comparing(ComponentDigest::name));
    return observed;
  }
}
