package io.stellaops.agents.driver;

import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stella.version.json}: what release runs on a host, readable by people and monitoring
 * without access to Kubernetes. Written atomically (temp file + rename) after a deployment.
 */
public final class Sticker {
  public static final String FILE = "stella.version.json";

  private Sticker() {}

  public static ArtifactRef write(Path directory, Deployment deployment) throws DeploymentFailure {
    Map<String, Object> sticker = new LinkedHashMap<>();
    sticker.put("release", deployment.release());
    sticker.put("version", deployment.version());
    sticker.put("promotion", deployment.promotion());
    sticker.put("job", deployment.job());
    sticker.put("target", deployment.targetName());
    sticker.put("deployedAt", deployment.now().toString());
    sticker.put("components", deployment.components());
    byte[] bytes = CanonicalJson.bytes(sticker);
    Path file = directory.resolve(FILE);
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, ".stella.version", ".json");
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DeploymentFailure(
          "deployed, but cannot write " + file + ": " + e.getMessage() + " (check stickerPath)", e);
    }
    return new ArtifactRef(FILE, Sha256.digest(bytes), "application/json", file.toString());
  }
}
