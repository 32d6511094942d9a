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
                Containerizer.to(RegistryImage.named(imageWithTag))
                    .setAllowInsecureRegistries(true)
                    .setApplicationLayersCache(dir.resolve("cache"))
                    .setBaseImageLayersCache(dir.resolve("base-cache")));
    return container.getDigest().toString();
  }
}
