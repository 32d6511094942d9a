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
