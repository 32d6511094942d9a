package io.stellaops.webhooks.agent;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.agent.Agent;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.target.Target;
import io.stellaops.webhooks.AdmissionServer;
import java.util.Set;

/**
 * Validating admission of status writes to DeploymentJobs and Targets: only the service account of
 * the agent the object is assigned to may write it, besides the operator itself. RBAC cannot say
 * this (it grants a verb on every object of a kind), so agents share one Role and this narrows it.
 */
public final class AgentStatusAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/validate/agent-status";

  private final KubernetesClient client;
  private final Set<String> controllers;

  /**
   * @param controllers usernames that may always write these statuses: the operator's own
   */
  public AgentStatusAdmission(KubernetesClient client, Set<String> controllers) {
    this.client = client;
    this.controllers = Set.copyOf(controllers);
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    String user = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
    if (user != null && controllers.contains(user)) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    String namespace = request.getNamespace();
    String kind = request.getKind().getKind();
    var serialization = client.getKubernetesSerialization();
    String agentName;
    if ("DeploymentJob".equals(kind)) {
      agentName =
          serialization.convertValue(request.getOldObject(), DeploymentJob.class).getSpec().agent();
    } else if ("Target".equals(kind)) {
      agentName =
          serialization.convertValue(request.getOldObject(), Target.class).getSpec().agent();
    } else {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    String what = kind + " " + namespace + "/" + request.getName();
    Agent agent = client.resources(Agent.class).inNamespace(namespace).withName(agentName).get();
    if (agent == null) {
      return AdmissionServer.deny(
          403,
          "the status of "
              + what
              + " is written by agent "
              + agentName
              + ", which does not exist in namespace "
              + namespace);
    }
    String expected =
        "system:serviceaccount:" + namespace + ":" + agent.getSpec().serviceAccountName();
    if (expected.equals(user)) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    return AdmissionServer.deny(
        403,
        "only agent "
            + agentName
            + " (service account "
            + namespace
            + "/"
            + agent.getSpec().serviceAccountName()
            + ") may update the status of "
            + what
            + "; the request came from "
            + user);
  }
}
