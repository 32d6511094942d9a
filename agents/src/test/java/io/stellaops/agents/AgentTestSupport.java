package io.stellaops.agents;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stellaops.crds.KubeApiServerSupport;
import io.stellaops.crds.agent.AgentLease;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.deploymentjob.DeploymentJobSpec;
import io.stellaops.crds.deploymentjob.DeploymentJobStatus.JobPhase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Agents on a test API server as in production: their own ServiceAccount, the least-privilege Role
 * shipped in docs/agents.md, and a token from the TokenRequest API.
 */
public final class AgentTestSupport {
  private AgentTestSupport() {}

  public static void installCrds(KubernetesClient client, String... namespaces) throws Exception {
    for (String crd : new String[] {"agents", "targets", "deploymentjobs"}) {
      KubeApiServerSupport.installCrd(client, crd);
    }
    for (String ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
  }

  /**
   * Creates {@code serviceAccount} bound to the agent Role and returns a client that authenticates
   * with its token, exactly what an agent's kubeconfig holds.
   */
  public static KubernetesClient agentClient(
      KubernetesClient admin, String namespace, String serviceAccount) throws Exception {
    return clientWithToken(admin, agentToken(admin, namespace, serviceAccount), namespace);
  }

  /** A client of {@code admin}'s API server that authenticates with {@code token} only. */
  public static KubernetesClient clientWithToken(
      KubernetesClient admin, String token, String namespace) {
    var config = admin.getConfiguration();
    var builder =
        new ConfigBuilder()
            .withMasterUrl(config.getMasterUrl())
            .withCaCertData(config.getCaCertData())
            .withCaCertFile(config.getCaCertFile())
            .withOauthToken(token);
    if (namespace != null) {
      builder.withNamespace(namespace);
    }
    return new KubernetesClientBuilder().withConfig(builder.build()).build();
  }

  /** A one-hour token of an existing {@code serviceAccount} from the TokenRequest API. */
  public static String tokenOf(KubernetesClient admin, String namespace, String serviceAccount) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** Creates {@code serviceAccount} bound to the agent Role and returns a token of it. */
  public static String agentToken(KubernetesClient admin, String namespace, String serviceAccount)
      throws Exception {
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .endMetadata()
                .build())
        .serverSideApply();
    Role role;
    try (InputStream in = AgentRuntime.class.getResourceAsStream("agent-role.yaml")) {
      role = admin.getKubernetesSerialization().unmarshal(in, Role.class);
    }
    role.getMetadata().setNamespace(namespace);
    admin.resource(role).serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(role.getMetadata().getName())
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .serverSideApply();
    return tokenOf(admin, namespace, serviceAccount);
  }

  /**
   * A kubeconfig for the agent, as docs/agents.md has users write it: the API server, its CA and
   * the service account's token.
   */
  public static String kubeconfig(KubernetesClient admin, String namespace, String token)
      throws Exception {
    var config = admin.getConfiguration();
    String ca =
        config.getCaCertData() != null
            ? config.getCaCertData()
            : Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    return """
    apiVersion: v1
    kind: Config
    clusters:
      - name: stella
        cluster:
          server: %s
          certificate-authority-data: %s
    users:
      - name: agent
        user:
          token: %s
    contexts:
      - name: stella
        context: {cluster: stella, user: agent, namespace: %s}
    current-context: stella
    """
        .formatted(config.getMasterUrl(), ca, token, namespace);
  }

  /**
   * Creates the DeploymentJob {@code <promotion>-<target>} for {@code agent}, as the operator
   * would, and waits until it finished.
   */
  public static DeploymentJob runJob(
      KubernetesClient client,
      String namespace,
      String agent,
      DeploymentJobSpec spec,
      Duration wait) {
    DeploymentJob job = new DeploymentJob();
    job.getMetadata().setName(spec.promotion() + "-" + spec.target());
    job.getMetadata().getLabels().put(AgentLease.AGENT_LABEL, agent);
    job.setSpec(spec);
    client.resource(job).inNamespace(namespace).create();
    return awaitFinished(client, namespace, job.getMetadata().getName(), wait);
  }

  public static DeploymentJob awaitFinished(
      KubernetesClient client, String namespace, String name, Duration timeout) {
    var resource = client.resources(DeploymentJob.class).inNamespace(namespace).withName(name);
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          DeploymentJob j = resource.get();
          return j != null
              && j.getStatus() != null
              && j.getStatus().getPhase() != null
              && j.getStatus().getPhase() != JobPhase.RUNNING
              && j.getStatus().getPhase() != JobPhase.PENDING;
        });
    return resource.get();
  }
}
