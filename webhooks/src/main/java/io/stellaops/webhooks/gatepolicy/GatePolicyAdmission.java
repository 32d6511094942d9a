package io.stellaops.webhooks.gatepolicy;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.javaoperatorsdk.webhook.admission.AdmissionUtils;
import io.stellaops.crds.gatepolicy.GatePolicy;
import io.stellaops.crds.gatepolicy.GateRule;
import io.stellaops.decision.gates.GateRuleCompiler;
import io.stellaops.webhooks.AdmissionServer;
import io.stellaops.webhooks.AdmittedObjects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validating admission of GatePolicies: every rule's CEL must compile against the decision input's
 * types, so a misspelt field or a non-boolean rule is refused when applied, with the message and
 * caret, instead of stalling the policy afterwards. On update only expressions the old object did
 * not hold are checked (ratcheting, as the API server does for its own rules): a policy stored
 * before a stricter check can still be relabelled; its controller reports it Stalled.
 */
public final class GatePolicyAdmission implements AdmissionRequestHandler {
  public static final String PATH = "/validate/gatepolicies";

  private final KubernetesSerialization serialization;

  public GatePolicyAdmission(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    GatePolicy policy = AdmittedObjects.read(serialization, request.getObject(), GatePolicy.class);
    Set<String> admittedBefore = new HashSet<>();
    if (request.getOldObject() != null) {
      GatePolicy old = serialization.convertValue(request.getOldObject(), GatePolicy.class);
      if (old != null && old.getSpec() != null && old.getSpec().rules() != null) {
        old.getSpec().rules().forEach(r -> admittedBefore.add(r.expression()));
      }
    }
    List<GateRule> rules = policy.getSpec().rules() == null ? List.of() : policy.getSpec().rules();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      GateRule rule = rules.get(i);
      if (admittedBefore.contains(rule.expression())) {
        continue;
      }
      GateRuleCompiler.Result compiled = GateRuleCompiler.check(List.of(rule));
      if (!compiled.ok()) {
        problems.add("spec.rules[" + i + "].expression: " + compiled.errors().getFirst());
      }
    }
    if (problems.isEmpty()) {
      return AdmissionUtils.allowedAdmissionResponse();
    }
    return AdmissionServer.deny(
        422,
        "GatePolicy "
            + request.getName()
            + ": "
            + String.join("\n", problems)
            + "\n(the variables and their fields are in docs/policy.md)");
  }
}
