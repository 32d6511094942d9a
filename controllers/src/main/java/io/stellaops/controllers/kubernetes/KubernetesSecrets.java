package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.supplychain.policy.SecretSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Secrets and image pull secrets as policy evaluation reads them, from the API server. */
public final class KubernetesSecrets implements SecretSource {
  private final KubernetesClient client;

  public KubernetesSecrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Map<String, byte[]>> read(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, byte[]> data = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    return Optional.of(data);
  }

  @Override
  public List<String> pullSecretNames(String namespace) {
    ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName("default").get();
    if (sa == null || sa.getImagePullSecrets() == null) {
      return List.of();
    }
    return sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
  }
}
