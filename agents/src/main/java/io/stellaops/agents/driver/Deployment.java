package io.stellaops.agents.driver;

import io.stellaops.crds.common.ComponentDigest;
import io.stellaops.crds.target.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
  public static final String STAMP_RELEASE = "stellaops.io/release";
  public static final String STAMP_JOB = "stellaops.io/job";
  public static final String STAMP_TARGET = "stellaops.io/target";

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

  /**
   * What a deployment stamps on what it creates (ECS task definition tags, Nomad job meta): the
   * release, version, promotion, job and target.
   */
  public Map<String, String> stamps() {
    Map<String, String> stamps = new LinkedHashMap<>();
    stamps.put(STAMP_RELEASE, Objects.requireNonNullElse(release, ""));
    stamps.put("stellaops.io/version", Objects.requireNonNullElse(version, ""));
    stamps.put("stellaops.io/promotion", Objects.requireNonNullElse(promotion, ""));
    stamps.put(STAMP_JOB, Objects.requireNonNullElse(job, ""));
    stamps.put(STAMP_TARGET, targetName());
    return stamps;
  }

  /** {@code repo@sha256:…}: the only way an agent ever names an image. */
  public static String pinned(ComponentDigest component) {
    return component.image() + "@" + component.digest();
  }
}
