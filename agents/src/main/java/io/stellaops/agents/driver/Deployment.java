package io.stellaops.agents.driver;

import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.target.Target;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One job's work for a driver: put {@code components} (pinned by digest) on {@code target}.
 *
 * @param dataDirectory the agent's own directory on this host for lockfiles and stickers
 */
public record Deployment(
    String job,
    String promotion,
    String release,
    String version,
    List<ComponentDigest> components,
    Target target,
    Path dataDirectory,
    Instant now) {

  public String targetName() {
    return target.getMetadata().getName();
  }

  /** {@code repo@sha256:…}: the only way an agent ever names an image. */
  public static String pinned(ComponentDigest component) {
    return component.image() + "@" + component.digest();
  }
}
