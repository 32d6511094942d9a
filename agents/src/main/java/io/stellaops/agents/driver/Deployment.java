package io.stellaops.agents.driver;

import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One job's work for a driver: put {@code components} (pinned by digest) on {@code target}.
 *
 * @param dataDirectory the agent's own directory on this host for lockfiles and stickers
 * @param deadline when the job's {@code spec.timeout} runs out: every wait of a driver ends by then
 *     and the driver restores what ran before
 * @param timeout the job's {@code spec.timeout}, for messages
 */
public record Deployment(
    String job,
    String promotion,
    String release,
    String version,
    List<ComponentDigest> components,
    Target target,
    Path dataDirectory,
    Instant now,
    Instant deadline,
    String timeout) {

  /** When a wait bounded by the driver's own setting must end, and which limit that is. */
  public record Wait(Instant until, String limit) {
    public boolean over() {
      return !Instant.now().isBefore(until);
    }
  }

  /**
   * A wait of at most {@code own} (named {@code setting} in messages), cut short by the job's
   * deadline.
   */
  public Wait waitFor(Duration own, String setting) {
    Instant mine = Instant.now().plus(own);
    return deadline != null && deadline.isBefore(mine)
        ? new Wait(deadline, "the job's timeout " + timeout)
        : new Wait(mine, setting);
  }

  public String targetName() {
    return target.getMetadata().getName();
  }

  /** {@code repo@sha256:…}: the only way an agent ever names an image. */
  public static String pinned(ComponentDigest component) {
    return component.image() + "@" + component.digest();
  }
}
