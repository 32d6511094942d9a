package io.stellaops.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** Installs the generated CRDs (shipped in the stella-crds jar) into a test API server. */
public final class KubeApiServerSupport {
  private KubeApiServerSupport() {}

  /** Installs a generated CRD shipped in the stella-crds jar, e.g. {@code "promotions"}. */
  public static void installCrd(KubernetesClient client, String plural) throws IOException {
    String path = "META-INF/fabric8/" + plural + ".stellaops.io-v1.yml";
    try (InputStream in = KubeApiServerSupport.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath");
      }
      install(client, client.apiextensions().v1().customResourceDefinitions().load(in).item());
    }
  }

  /** Applies a CRD and waits until the API server serves it. */
  public static void install(KubernetesClient client, CustomResourceDefinition crd) {
    client.resource(crd).forceConflicts().serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(KubeApiServerSupport::established, 30, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
