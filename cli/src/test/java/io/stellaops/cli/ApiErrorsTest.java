package io.stellaops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  @Test
  void anAnswerOfTheApiServerIsSaidAsKubectlSaysIt() {
    var forbidden =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "promotions.stellaops.io is forbidden: User \"bob\" cannot create resource"
                        + " \"promotions\" in API group \"stellaops.io\" in the namespace \"shop\"")
                .build());
    assertThat(ApiErrors.describe(forbidden))
        .isEqualTo(
            "Error from server (Forbidden): promotions.stellaops.io is forbidden: User \"bob\""
                + " cannot create resource \"promotions\" in API group \"stellaops.io\" in the"
                + " namespace \"shop\"");
    assertThat(ApiErrors.exitCode(forbidden)).isEqualTo(ApiErrors.REFUSED);
  }

  @Test
  void noAnswerNamesTheCauseAndWhatToCheck() {
    var unreachable =
        new KubernetesClientException(
            "Operation: [get]  for kind: [Promotion]  with name: [p]  in namespace: [shop]  failed.",
            new ConnectException("Connection refused"));
    assertThat(ApiErrors.describe(unreachable, "https://10.0.0.1:6443/"))
        .isEqualTo(
            "error: cannot reach the Kubernetes API server at https://10.0.0.1:6443/: cannot"
                + " connect (refused, or the host does not resolve): Connection refused; check the"
                + " current context of your kubeconfig (or --kubeconfig) and that the server is up");
    assertThat(ApiErrors.exitCode(unreachable)).isEqualTo(ApiErrors.ERROR);
  }
}
