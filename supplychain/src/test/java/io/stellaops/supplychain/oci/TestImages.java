package io.stellaops.supplychain.oci;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test images built with jib-core from scratch and pushed to a registry: real digests, no pulls.
 */
public final class TestImages {
  private TestImages() {}

  /** Builds an image holding one file with {@code content} and pushes it; returns its digest. */
  public static String push(String imageWithTag, String content) throws Exception {
    return push(imageWithTag, content, null, null);
  }

  /**
   * Pushes an artifact whose one layer (a .tar.gz, as jib writes layers) holds the files of {@code
   * directory}, as {@code oras push} of a snapshot would; returns the digest.
   */
  public static String pushFiles(String imageWithTag, Path directory) throws Exception {
    var layer = FileEntriesLayer.builder();
    try (var files = Files.list(directory)) {
      for (Path f : files.sorted().toList()) {
        layer.addEntry(f, AbsoluteUnixPath.get("/osv/" + f.getFileName()));
      }
    }
    Path cache = Files.createTempDirectory("stella-artifact");
    return Jib.fromScratch()
        .addFileEntriesLayer(layer.build())
        .setCreationTime(java.time.Instant.EPOCH)
        .containerize(
            Containerizer.to(RegistryImage.named(imageWithTag))
                .setAllowInsecureRegistries(true)
                .setApplicationLayersCache(cache.resolve("cache"))
                .setBaseImageLayersCache(cache.resolve("base-cache")))
        .getDigest()
        .toString();
  }

  /**
   * Copies a manifest to another tag of the same repository, as {@code crane tag} would, e.g. to
   * put one digest's cosign signature where cosign looks for another's.
   */
  public static void copyManifest(String registryHost, String repository, String from, String to)
      throws Exception {
    copyManifest(registryHost, repository, from, to, manifest -> {});
  }

  /** Copies a manifest to another tag after {@code edit} changed it (e.g. an annotation). */
  public static void copyManifest(
      String registryHost,
      String repository,
      String from,
      String to,
      java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit)
      throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String base = "http://" + registryHost + "/v2/" + repository + "/manifests/";
    var got =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + from))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    if (got.statusCode() != 200) {
      throw new IllegalStateException("GET " + base + from + ": " + got.statusCode());
    }
    var manifest =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            io.stellaops.supplychain.json.CanonicalJson.MAPPER.readTree(got.body());
    edit.accept(manifest);
    byte[] edited = io.stellaops.supplychain.json.CanonicalJson.MAPPER.writeValueAsBytes(manifest);
    var put =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + to))
                .header("Content-Type", got.headers().firstValue("Content-Type").orElseThrow())
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(edited))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    if (put.statusCode() != 201) {
      throw new IllegalStateException("PUT " + base + to + ": " + put.statusCode());
    }
  }

  /**
   * Pushes {@code content} as an OCI artifact with one layer of {@code mediaType}, as {@code oras
   * push repo:tag file:mediaType} does, over the registry API (plain HTTP, loopback registries);
   * returns the manifest digest.
   */
  public static String pushArtifact(String repoWithTag, String mediaType, byte[] content)
      throws Exception {
    String host = repoWithTag.substring(0, repoWithTag.indexOf('/'));
    String repo = repoWithTag.substring(host.length() + 1, repoWithTag.lastIndexOf(':'));
    String tag = repoWithTag.substring(repoWithTag.lastIndexOf(':') + 1);
    var http = java.net.http.HttpClient.newHttpClient();
    byte[] config = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String configDigest = uploadBlob(http, host, repo, config);
    String layerDigest = uploadBlob(http, host, repo, content);
    String manifest =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": %d},
         "layers": [{"mediaType": "%s", "digest": "%s", "size": %d}]}
        """
            .formatted(configDigest, config.length, mediaType, layerDigest, content.length);
    byte[] bytes = manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + host + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "manifest push answered " + response.statusCode() + ": " + response.body());
    }
    return io.stellaops.supplychain.digest.Sha256.digest(bytes);
  }

  /**
   * Pushes {@code manifest} as it is to {@code host}/{@code repo} at {@code reference} (a tag),
   * e.g. a hand-made cosign signature manifest; returns its digest.
   */
  public static String pushManifest(String host, String repo, String reference, byte[] manifest)
      throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://" + host + "/v2/" + repo + "/manifests/" + reference))
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(manifest))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "manifest push answered " + response.statusCode() + ": " + response.body());
    }
    return io.stellaops.supplychain.digest.Sha256.digest(manifest);
  }

  /** Uploads {@code blob} to {@code host}/{@code repo} (monolithic upload); returns its digest. */
  public static String uploadBlob(String host, String repo, byte[] blob) throws Exception {
    return uploadBlob(java.net.http.HttpClient.newHttpClient(), host, repo, blob);
  }

  private static String uploadBlob(
      java.net.http.HttpClient http, String host, String repo, byte[] blob) throws Exception {
    String digest = io.stellaops.supplychain.digest.Sha256.digest(blob);
    var start =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + host + "/v2/" + repo + "/blobs/uploads/"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    String location = start.headers().firstValue("Location").orElseThrow();
    java.net.URI upload = java.net.URI.create("http://" + host + "/").resolve(location);
    String put = upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + digest;
    var done =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(put))
                .header("Content-Type", "application/octet-stream")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new IllegalStateException(
          "blob upload answered " + done.statusCode() + ": " + done.body());
    }
    return digest;
  }

  /** Pushes with HTTP basic credentials (null for none); returns the digest. */
  public static String push(String imageWithTag, String content, String user, String password)
      throws Exception {
    if (user != null) {
      // loopback test registries speak plain HTTP; jib sends credentials there only when told
      System.setProperty("sendCredentialsOverHttp", "true");
    }
    Path dir = Files.createTempDirectory("stella-image");
    Path file = Files.writeString(dir.resolve("release.txt"), content);
    var container =
        Jib.fromScratch()
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .addEntry(file, AbsoluteUnixPath.get("/release.txt"))
                    .build())
            .setCreationTime(java.time.Instant.EPOCH)
            .containerize(
                Containerizer.to(
                        user == null
                            ? RegistryImage.named(imageWithTag)
                            : RegistryImage.named(imageWithTag).addCredential(user, password))
                    .setAllowInsecureRegistries(true)
                    .setApplicationLayersCache(dir.resolve("cache"))
                    .setBaseImageLayersCache(dir.resolve("base-cache")));
    return container.getDigest().toString();
  }
}
