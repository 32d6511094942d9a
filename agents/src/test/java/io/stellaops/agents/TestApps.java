package io.stellaops.agents;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Runnable test images built with jib-core from scratch: Debian's static busybox serving {@code
 * /www} over HTTP on port 8080. A healthy app has {@code /www/index.html} (the version); an
 * unhealthy one has none, so {@code wget http://127.0.0.1:8080/} fails inside it.
 */
public final class TestApps {
  public static final List<String> HEALTH_CHECK =
      List.of("/bin/busybox", "wget", "-q", "-O-", "http://127.0.0.1:8080/");

  private TestApps() {}

  /** Pushes {@code imageWithTag} and returns its digest. */
  public static String push(String imageWithTag, String version, boolean healthy) throws Exception {
    return push(
        imageWithTag, version, healthy, "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www");
  }

  /** Pushes an image whose process exits with status 1 at once; returns its digest. */
  public static String pushCrashing(String imageWithTag, String version) throws Exception {
    return push(imageWithTag, version, false, "/bin/busybox", "false");
  }

  private static String push(
      String imageWithTag, String version, boolean healthy, String... entrypoint) throws Exception {
    Path dir = Files.createTempDirectory("stella-app");
    Path busybox = Path.of(System.getenv().getOrDefault("STELLA_BUSYBOX", "/bin/busybox"));
    if (!Files.isExecutable(busybox)) {
      throw new IllegalStateException(
          busybox + " not found: install Debian's busybox-static (hack/install-prerequisites.sh)");
    }
    var layer =
        FileEntriesLayer.builder()
            .addEntry(
                busybox,
                AbsoluteUnixPath.get("/bin/busybox"),
                FilePermissions.fromOctalString("755"));
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("version.txt"), version + "\n");
    layer.addEntry(www.resolve("version.txt"), AbsoluteUnixPath.get("/www/version.txt"));
    if (healthy) {
      Files.writeString(www.resolve("index.html"), "shop " + version + "\n");
      layer.addEntry(www.resolve("index.html"), AbsoluteUnixPath.get("/www/index.html"));
    }
    var container =
        Jib.fromScratch()
            .addFileEntriesLayer(layer.build())
            .setEntrypoint(entrypoint)
            .setCreationTime(Instant.EPOCH)
            .containerize(
                Containerizer.to(RegistryImage.named(imageWithTag))
                    .setAllowInsecureRegistries(true)
                    .setApplicationLayersCache(dir.resolve("cache"))
                    .setBaseImageLayersCache(dir.resolve("base-cache")));
    return container.getDigest().toString();
  }
}
