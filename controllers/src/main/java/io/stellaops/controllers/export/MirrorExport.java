package io.stellaops.controllers.export;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.controllers.archive.ArchivedObjects;
import io.stellaops.crds.advisoryfeed.AdvisoryFeed;
import io.stellaops.crds.advisoryfeed.FeedSource;
import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.export.Export;
import io.stellaops.crds.export.ExportSpec;
import io.stellaops.crds.release.ComponentStatus;
import io.stellaops.crds.release.Release;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.archive.Mirror;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.OciLayout;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.policy.SecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The {@code mirror} profile's bundle: every component image of the selected Releases by digest,
 * with cosign's signature, attestation and SBOM tags and its referrers, as an OCI image layout
 * under {@code oci/}; the OCI artifacts the AdvisoryFeeds read; the TrustPolicies that cover the
 * images with the public keys and trust roots they name in Secrets; the Releases; {@code
 * mirror.json} saying what is where. Not pure like the other profiles: it reads the registries.
 */
final class MirrorExport {
  private MirrorExport() {}

  /**
   * What a mirror reads: the selected Releases, every TrustPolicy and AdvisoryFeed, the published
   * keyring, the Secrets policies name, each image's registry credentials, and for a delta its base
   * and what the base carries ({@link OciLayout#carried()}).
   */
  record Found(
      List<Release> releases,
      List<TrustPolicy> policies,
      List<AdvisoryFeed> feeds,
      EvidenceKeyring keyring,
      SecretSource secrets,
      Function<String, Optional<RegistryClient.Credentials>> credentials,
      Mirror.Base base,
      Set<String> baseCarries) {}

  static ExportBundles.Contents of(
      Export export,
      ExportSpec.Selector selector,
      Found found,
      OciReader registry,
      String operatorVersion,
      KubernetesSerialization serialization)
      throws ExportBundles.Refused {
    Map<String, byte[]> files = new TreeMap<>();
    Map<String, Integer> objects = new TreeMap<>();
    OciLayout layout =
        found.base() == null ? OciLayout.empty() : OciLayout.deltaOf(found.baseCarries());
    List<Mirror.Image> images = new ArrayList<>();
    Set<String> coveredImages = new LinkedHashSet<>();
    Map<String, Future<Copied>> copies = new LinkedHashMap<>();
    // images are copied a few at a time: each copy waits on the registry, not on this process
    try (var pool = Executors.newFixedThreadPool(PARALLEL_COPIES)) {
      for (Release release : found.releases()) {
        files.put(ArchivedObjects.path(release), ArchivedObjects.json(release, serialization));
        objects.merge("Release", 1, Integer::sum);
        for (var component : release.getSpec().components()) {
          String digest = digestOf(release, component.name(), component.digest());
          if (digest == null) {
            throw new ExportBundles.Refused(
                "Release "
                    + release.getMetadata().getName()
                    + " component "
                    + component.name()
                    + " has no digest yet: it is not verified; export it once it is");
          }
          images.add(
              new Mirror.Image(
                  release.getMetadata().getName(),
                  component.name(),
                  component.image(),
                  digest,
                  component.tag(),
                  null));
          coveredImages.add(component.image());
          copies.computeIfAbsent(
              component.image() + "@" + digest,
              at ->
                  pool.submit(() ->
                      copyImage(
                          found.base() == null
                              ? OciLayout.empty()
                              : OciLayout.deltaOf(found.baseCarries()),
                          registry,
                          component.image(),
                          digest,
                          found.credentials())));
        }
      }
      Map<String, List<String>> copied = new LinkedHashMap<>();
      for (var copy : copies.entrySet()) {
        Copied done = joined(copy.getValue());
        layout.merge(done.layout());
        copied.put(copy.getKey(), done.names());
      }
      images.replaceAll(i ->
          new Mirror.Image(
              i.release(),
              i.component(),
              i.image(),
              i.digest(),
              i.tag(),
              copied.get(i.image() + "@" + i.digest())));
    }
    objects.put(
        "Image", (int) images.stream().map(i -> i.image() + "@" + i.digest()).distinct().count());

    List<String> policyNames = new ArrayList<>();
    for (TrustPolicy policy : found.policies()) {
      if (coveredImages.stream()
          .noneMatch(i -> !TrustEvaluator.matching(i, List.of(policy)).isEmpty())) {
        continue;
      }
      policyNames.add(policy.getMetadata().getName());
      files.put(ArchivedObjects.path(policy), ArchivedObjects.json(policy, serialization));
      objects.merge("TrustPolicy", 1, Integer::sum);
      for (SecretKeyRef ref : TrustMaterial.publicMaterial(policy)) {
        byte[] value =
            found
                .secrets()
                .read(ref.namespace(), ref.name())
                .map(data -> data.get(ref.key()))
                .orElseThrow(() ->
                    new ExportBundles.Refused(
                        "TrustPolicy "
                            + policy.getMetadata().getName()
                            + " names Secret "
                            + ref.namespace()
                            + "/"
                            + ref.name()
                            + " key "
                            + ref.key()
                            + ", which does not exist"));
        files.put(Mirror.SECRETS + ref.namespace() + "/" + ref.name() + "/" + ref.key(), value);
      }
    }

    List<Mirror.Artifact> artifacts = new ArrayList<>();
    for (AdvisoryFeed feed : found.feeds()) {
      files.put(ArchivedObjects.path(feed), ArchivedObjects.json(feed, serialization));
      objects.merge("AdvisoryFeed", 1, Integer::sum);
      List<FeedSource> sources = new ArrayList<>();
      sources.add(feed.getSpec().source());
      if (feed.getSpec().vex() != null) {
        sources.addAll(feed.getSpec().vex());
      }
      for (FeedSource source : sources) {
        if (source.oci() == null) {
          continue; // a path or ConfigMap is the installer's to carry (docs/install-airgap.md)
        }
        String reference = source.oci();
        // the schema lets only repo:tag and repo@digest through
        var named = ImageReference.Named.split(reference).orElseThrow();
        try {
          var manifest =
              layout.copy(
                  registry,
                  named.repository(),
                  named.reference(),
                  found.credentials().apply(named.repository()));
          artifacts.add(
              new Mirror.Artifact(feed.getMetadata().getName(), reference, manifest.digest()));
        } catch (RegistryException e) {
          throw new ExportBundles.Unavailable(
              "AdvisoryFeed " + feed.getMetadata().getName() + ": " + e.getMessage());
        }
      }
    }
    if (!artifacts.isEmpty()) {
      objects.put("Artifact", artifacts.size());
    }

    files.putAll(layout.files(Mirror.LAYOUT));
    List<String> omitted = found.base() == null ? null : layout.omitted();
    if (omitted != null) {
      objects.put("LeftToBase", omitted.size());
    }
    files.put(
        Mirror.FILE,
        new Mirror(Mirror.API_VERSION, images, artifacts, policyNames, found.base(), omitted)
            .toJson());
    files.put("README.md", readme(export).getBytes(StandardCharsets.UTF_8));
    return new ExportBundles.Contents(
        ExportBundles.of(
            export, selector, "mirror", files, objects, found.keyring(), operatorVersion),
        objects,
        List.of());
  }

  /** Images copied at once. */
  private static final int PARALLEL_COPIES = 4;

  /** One image's copy: its own layout, merged into the bundle's, and the names copied. */
  private record Copied(OciLayout layout, List<String> names) {}

  private static Copied joined(Future<Copied> copy) throws ExportBundles.Refused {
    try {
      return copy.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while copying images", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ExportBundles.Refused refused) {
        throw refused;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** {@link OciLayout#copyImage} into {@code layout}; a registry that fails is Unavailable. */
  private static Copied copyImage(
      OciLayout layout,
      OciReader registry,
      String image,
      String digest,
      Function<String, Optional<RegistryClient.Credentials>> credentials)
      throws ExportBundles.Unavailable {
    try {
      return new Copied(
          layout, layout.copyImage(registry, image, digest, credentials.apply(image)));
    } catch (RegistryException e) {
      throw new ExportBundles.Unavailable(
          "cannot copy " + image + "@" + digest + ": " + e.getMessage());
    }
  }

  /** The digest admission pinned (status), else the one the spec gave. */
  private static String digestOf(Release release, String component, String specDigest) {
    if (release.getStatus() != null && release.getStatus().getComponents() != null) {
      for (ComponentStatus c : release.getStatus().getComponents()) {
        if (component.equals(c.name()) && c.digest() != null) {
          return c.digest();
        }
      }
    }
    return specDigest;
  }

  private static String readme(Export export) {
    return """
    # Mirror export %s/%s

    | path | what |
    |---|---|
    | `mirror.json` | each Release component's image by digest and every name copied for it; the advisory artifacts; the TrustPolicies |
    | `oci/` | an OCI image layout: the images, cosign's `.sig`/`.att`/`.sbom` tags, referrers and advisory artifacts, each named `<repository>:<tag>` or `<repository>@<digest>` in `index.json` |
    | `objects/Release/`, `objects/TrustPolicy/`, `objects/AdvisoryFeed/` | the objects as they were exported |
    | `trust/secrets/<namespace>/<name>/<key>` | public keys and trust roots the TrustPolicies name in Secrets |

    Import on the other side of the gap (verifies this bundle and every image's signature against
    the TrustPolicies in it, pushes, prints the objects to apply there):

        kubectl stella mirror import <this file> --to <registry>[/<prefix>] [--key operator.pub]

    """
            .formatted(export.getMetadata().getNamespace(), export.getMetadata().getName())
        + ExportBundles.VERIFY;
  }
}
