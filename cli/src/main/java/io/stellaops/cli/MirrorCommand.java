package io.stellaops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stellaops.crds.trustpolicy.TrustPolicy;
import io.stellaops.supplychain.archive.Mirror;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.oci.ImageReference;
import io.stellaops.supplychain.oci.OciLayout;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import io.stellaops.supplychain.policy.SecretSource;
import io.stellaops.supplychain.policy.TrustEvaluator;
import io.stellaops.supplychain.policy.TrustMaterial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    name = "mirror",
    description =
        "Carry a mirror export across an air gap: import verifies it and pushes its images to a"
            + " registry on this side.",
    subcommands = {MirrorCommand.Import.class})
final class MirrorCommand implements Runnable {
  @ParentCommand StellaCli cli;

  @Override
  public void run() {
    cli.spec.commandLine().getSubcommands().get("mirror").usage(cli.out());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "import",
      description =
          "Verify a mirror bundle (its signature, every file, and every image's signatures and"
              + " attestations against the TrustPolicies it carries), push its images,"
              + " signatures, referrers and advisory artifacts to --to, and print the Secrets,"
              + " TrustPolicies, AdvisoryFeeds and Releases to apply here, renamed to --to with"
              + " the same digests. Pushes nothing unless every image verifies. Needs no"
              + " cluster.",
      footer = {
        "",
        "Example:",
        "  kubectl stella mirror import shop-mirror.tar --to registry.airgap.example:5000"
            + " --key operator.pub | kubectl apply -n shop -f -"
      })
  static final class Import implements Callable<Integer> {
    @ParentCommand MirrorCommand mirror;

    @Parameters(
        index = "0",
        paramLabel = "BUNDLE",
        description = "A mirror bundle file, or oci://<registry>/<repository>:<tag>.")
    String source;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "REGISTRY[/PREFIX]",
        description =
            "Registry (and optional repository prefix) to push to; each image keeps its"
                + " repository path: registry.example.com/shop/api → <to>/shop/api.")
    String to;

    @Option(
        names = "--key",
        description =
            "The exporting operator's public key (PEM) the bundle must be signed with (default:"
                + " the bundle's own keyring, which proves it unchanged, not who made it).")
    Path key;

    @Option(
        names = "--plain-http",
        description = "The registry of --to speaks plain HTTP (loopback registries always do).")
    boolean plainHttp;

    @Option(names = "--dry-run", description = "Verify and print, push nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
      StellaCli cli = mirror.cli;
      List<String> problems = new ArrayList<>();
      var verified = ExportCommand.verified(ArchivedEvidence.fetch(cli, source), key, problems);
      String profile = verified == null ? "" : verified.bundle().about().path("profile").asText();
      if (verified != null && !"mirror".equals(profile) && !OfflineKit.PROFILE.equals(profile)) {
        problems.add(
            "not a mirror bundle: its profile is "
                + profile
                + " (export one with profile: mirror)");
      }
      if (!problems.isEmpty()) {
        return refused(cli, "the bundle does not verify", problems);
      }
      Map<String, byte[]> files = verified.bundle().files();
      Mirror contents = Mirror.parse(require(files, Mirror.FILE));
      OciLayout layout = OciLayout.read(files, Mirror.LAYOUT, contents.omittedSet());
      Target target = Target.of(to);
      var registry =
          new RegistryClient(
              Duration.ofSeconds(60),
              plainHttp ? Set.of(target.registry()) : Set.of(),
              RegistryClient.Limits.BUNDLES);
      Optional<RegistryClient.Credentials> credentials =
          ArchivedEvidence.dockerCredentials(target.registry());
      OciReader reader = layout;
      if (contents.base() != null) {
        cli.err()
            .printf(
                "a delta of export %s (%s): what it leaves out is read from %s, where that"
                    + " bundle was imported%n",
                contents.base().export(), contents.base().bundle(), to);
        reader = new Layered(layout, registry, target, credentials);
      }
      var serialization = new KubernetesSerialization();
      List<TrustPolicy> policies = new ArrayList<>();
      for (String name : contents.trustPolicies()) {
        policies.add(
            serialization.unmarshal(
                new String(
                    require(files, "objects/TrustPolicy/" + name + ".json"),
                    StandardCharsets.UTF_8),
                TrustPolicy.class));
      }
      SecretSource secrets = (namespace, name) -> secretOf(files, namespace, name);

      // every image verified against the layout before anything is pushed
      var evaluator = TrustEvaluator.cosign(reader);
      var material = new TrustMaterial(secrets);
      Set<String> checked = new LinkedHashSet<>();
      for (Mirror.Image image : contents.images()) {
        String at = image.image() + "@" + image.digest();
        if (!checked.add(at)) {
          continue;
        }
        var result =
            evaluator.evaluate(image.image(), image.digest(), policies, material, List.of());
        if (!TrustEvaluator.VERIFIED.equals(result.signature())) {
          problems.add(
              at
                  + " ("
                  + (image.release() == null ? "" : image.release() + "/")
                  + image.component()
                  + "): "
                  + (TrustEvaluator.UNVERIFIED.equals(result.signature())
                      ? "no TrustPolicy in the bundle covers it"
                      : result.message()));
        }
      }
      if (!problems.isEmpty()) {
        if (contents.base() != null) {
          problems.add(
              "(a delta: import its base, export " + contents.base().export() + ", first)");
        }
        return refused(cli, "images do not verify against the bundle's TrustPolicies", problems);
      }
      cli.err()
          .printf(
              "%s%n%d image(s) verified against TrustPolicies %s%n",
              verified.summary(), checked.size(), String.join(", ", contents.trustPolicies()));

      if (!dryRun) {
        try {
          List<String> pushed = layout.push(registry, target::rename, credentials);
          for (Mirror.Image image : contents.images()) {
            if (image.tag() != null) {
              String renamed = target.rename(image.image());
              var manifest = reader.manifest(image.image(), image.digest(), Optional.empty());
              registry.pushManifest(
                  renamed, image.tag(), manifest.mediaType(), manifest.bytes(), credentials);
            }
          }
          cli.err()
              .printf(
                  "pushed %d manifest(s) and %d MiB of blobs to %s%n",
                  pushed.size(), layout.bytes() >> 20, to);
        } catch (RegistryException e) {
          cli.err().println("Import FAILED while pushing to " + to + ": " + e.getMessage());
          cli.err().println("  nothing is deleted; run the import again once the registry answers");
          return ApiErrors.ERROR;
        }
      }
      cli.out().print(objects(files, contents, target, serialization, cli));
      if (OfflineKit.PROFILE.equals(profile)) {
        cli.err()
            .printf(
                "Apply the TrustPolicy above, then install the chart from the kit:%n"
                    + "  helm install stella-operator charts/stella-operator -n stella-system"
                    + " --create-namespace -f values/stella-operator-airgap.yaml"
                    + " --set image.registry=%s%n",
                (target.registry() + "/" + target.prefix()).replaceAll("/+$", ""));
      }
      return 0;
    }

    private static int refused(StellaCli cli, String why, List<String> problems) {
      cli.err().println("Import refused: " + why + "; nothing was pushed");
      problems.forEach(p -> cli.err().println("  " + p));
      return StellaCli.VERIFICATION_FAILED;
    }
  }

  /**
   * A delta's layout, and what it leaves to its base from the registry the base was imported into
   * (renamed as the import renames).
   */
  record Layered(
      OciLayout layout,
      RegistryClient registry,
      Target target,
      Optional<RegistryClient.Credentials> credentials)
      implements OciReader {
    @Override
    public RegistryClient.Manifest manifest(
        String image, String reference, Optional<RegistryClient.Credentials> unused) {
      try {
        return layout.manifest(image, reference, Optional.empty());
      } catch (RegistryException e) {
        if (e.status() != 404) {
          throw e;
        }
        return registry.manifest(target.rename(image), reference, credentials);
      }
    }

    @Override
    public byte[] blob(String image, String digest, Optional<RegistryClient.Credentials> unused) {
      return layout.hasBlob(digest)
          ? layout.blob(image, digest, Optional.empty())
          : registry.blob(target.rename(image), digest, credentials);
    }

    @Override
    public RegistryClient.Referrers referrers(
        String image, String digest, Optional<RegistryClient.Credentials> unused) {
      Map<String, JsonNode> merged = new TreeMap<>();
      layout
          .referrers(image, digest, Optional.empty())
          .descriptors()
          .forEach(d -> merged.put(d.path("digest").asText(), d));
      var there = registry.referrers(target.rename(image), digest, credentials);
      there.descriptors().forEach(d -> merged.putIfAbsent(d.path("digest").asText(), d));
      return new RegistryClient.Referrers(
          List.copyOf(merged.values()), "the delta's layout and " + there.source());
    }
  }

  /**
   * Where images go: a registry and an optional repository prefix. Each image keeps its repository
   * path under it.
   */
  record Target(String registry, String prefix) {
    static Target of(String to) {
      String trimmed = to.endsWith("/") ? to.substring(0, to.length() - 1) : to;
      int slash = trimmed.indexOf('/');
      String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
      if (!host.contains(".") && !host.contains(":") && !host.equals("localhost")) {
        throw new IllegalArgumentException(
            "--to "
                + to
                + ": name a registry host first, e.g. registry.example.com[:port][/prefix]");
      }
      return new Target(
          ImageReference.registry(host), slash < 0 ? "" : trimmed.substring(slash + 1) + "/");
    }

    String rename(String image) {
      return registry + "/" + prefix + ImageReference.parse(image).repository();
    }

    /** {@code glob} with a source registry replaced by this one, as images are renamed. */
    String renameGlob(String glob, Set<String> sourceRegistries) {
      for (String source : sourceRegistries) {
        if (glob.startsWith(source + "/")) {
          return registry + "/" + prefix + glob.substring(source.length() + 1);
        }
      }
      return glob;
    }
  }

  /** The objects to apply on this side, as YAML documents; what was left out said on stderr. */
  static String objects(
      Map<String, byte[]> files,
      Mirror contents,
      Target target,
      KubernetesSerialization serialization,
      StellaCli cli)
      throws IOException {
    Set<String> sourceRegistries = new LinkedHashSet<>();
    contents
        .images()
        .forEach(i -> sourceRegistries.add(ImageReference.parse(i.image()).registry()));
    List<JsonNode> out = new ArrayList<>();
    // Secrets: only the public keys and trust roots the policies name
    Map<String, Map<String, byte[]>> secrets = new TreeMap<>();
    for (var file : files.entrySet()) {
      if (file.getKey().startsWith(Mirror.SECRETS)) {
        String[] parts = file.getKey().substring(Mirror.SECRETS.length()).split("/", 3);
        secrets
            .computeIfAbsent(parts[0] + "/" + parts[1], k -> new TreeMap<>())
            .put(parts[2], file.getValue());
      }
    }
    for (var secret : secrets.entrySet()) {
      ObjectNode s = CanonicalJson.MAPPER.createObjectNode();
      s.put("apiVersion", "v1");
      s.put("kind", "Secret");
      String[] nsName = secret.getKey().split("/", 2);
      s.putObject("metadata").put("name", nsName[1]).put("namespace", nsName[0]);
      ObjectNode data = s.putObject("data");
      secret.getValue().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v)));
      out.add(s);
    }
    for (String name : contents.trustPolicies()) {
      ObjectNode policy = applicable(files, "objects/TrustPolicy/" + name + ".json");
      ObjectNode spec = (ObjectNode) policy.path("spec");
      ArrayNode globs = CanonicalJson.MAPPER.createArrayNode();
      spec.path("images").forEach(g -> globs.add(target.renameGlob(g.asText(), sourceRegistries)));
      spec.set("images", globs);
      if (spec.remove("registryCredentials") != null) {
        cli.err()
            .printf(
                "TrustPolicy %s: its registry credentials are not carried; add %s's if it needs"
                    + " them%n",
                name, target.registry());
      }
      out.add(policy);
    }
    Map<String, String> renamedArtifacts = new LinkedHashMap<>();
    for (Mirror.Artifact a : contents.artifacts()) {
      var named = ImageReference.Named.split(a.reference()).orElseThrow();
      renamedArtifacts.put(
          a.reference(),
          new ImageReference.Named(target.rename(named.repository()), named.reference())
              .toString());
    }
    for (String path : files.keySet()) {
      if (!path.startsWith("objects/AdvisoryFeed/")) {
        continue;
      }
      ObjectNode feed = applicable(files, path);
      ObjectNode spec = (ObjectNode) feed.path("spec");
      renameSource(spec.path("source"), renamedArtifacts);
      spec.path("vex").forEach(v -> renameSource(v, renamedArtifacts));
      out.add(feed);
    }
    Map<String, Mirror.Image> byComponent = new LinkedHashMap<>();
    contents.images().forEach(i -> byComponent.put(i.release() + "/" + i.component(), i));
    // an offline kit's images belong to no Release: the charts install them
    for (String release :
        new LinkedHashSet<>(
            contents.images().stream()
                .map(Mirror.Image::release)
                .filter(Objects::nonNull)
                .toList())) {
      ObjectNode object = applicable(files, "objects/Release/" + release + ".json");
      ((ObjectNode) object.path("metadata")).remove("namespace");
      for (JsonNode component : object.path("spec").path("components")) {
        Mirror.Image image = byComponent.get(release + "/" + component.path("name").asText());
        ((ObjectNode) component).put("image", target.rename(image.image()));
        ((ObjectNode) component).put("digest", image.digest());
      }
      out.add(object);
    }
    StringBuilder yaml = new StringBuilder();
    for (JsonNode object : out) {
      String doc = serialization.asYaml(object);
      yaml.append(doc.startsWith("---") ? "" : "---\n").append(doc);
      if (!doc.endsWith("\n")) {
        yaml.append('\n');
      }
    }
    return yaml.toString();
  }

  private static void renameSource(JsonNode source, Map<String, String> renamed) {
    if (source instanceof ObjectNode s && s.has("oci")) {
      String to = renamed.get(s.path("oci").asText());
      if (to != null) {
        s.put("oci", to);
      }
    }
  }

  /** An exported object as one applies it: kind, name, labels, annotations and spec. */
  private static ObjectNode applicable(Map<String, byte[]> files, String path) throws IOException {
    JsonNode exported = CanonicalJson.MAPPER.readTree(require(files, path));
    ObjectNode object = CanonicalJson.MAPPER.createObjectNode();
    object.set("apiVersion", exported.path("apiVersion"));
    object.set("kind", exported.path("kind"));
    ObjectNode metadata = object.putObject("metadata");
    JsonNode from = exported.path("metadata");
    metadata.set("name", from.path("name"));
    if (from.has("namespace")) {
      metadata.set("namespace", from.path("namespace"));
    }
    for (String field : List.of("labels", "annotations")) {
      if (from.has(field)) {
        metadata.set(field, from.get(field));
      }
    }
    object.set("spec", exported.path("spec").deepCopy());
    return object;
  }

  private static byte[] require(Map<String, byte[]> files, String path) {
    byte[] bytes = files.get(path);
    if (bytes == null) {
      throw new IllegalArgumentException("the bundle has no " + path);
    }
    return bytes;
  }

  private static Optional<Map<String, byte[]>> secretOf(
      Map<String, byte[]> files, String namespace, String name) {
    String prefix = Mirror.SECRETS + namespace + "/" + name + "/";
    Map<String, byte[]> data = new TreeMap<>();
    files.forEach((path, bytes) -> {
      if (path.startsWith(prefix)) {
        data.put(path.substring(prefix.length()), bytes);
      }
    });
    return data.isEmpty() ? Optional.empty() : Optional.of(data);
  }
}
