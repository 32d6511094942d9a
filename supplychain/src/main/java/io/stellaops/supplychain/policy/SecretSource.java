package io.stellaops.supplychain.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What policy evaluation reads from the cluster; the operator backs it with the Kubernetes API. */
public interface SecretSource {
  /** A Secret's decoded data, or empty when there is no such Secret. */
  Optional<Map<String, byte[]>> read(String namespace, String name);

  /** The image pull secrets of the namespace's default ServiceAccount, as the kubelet uses them. */
  default List<String> pullSecretNames(String namespace) {
    return List.of();
  }
}
