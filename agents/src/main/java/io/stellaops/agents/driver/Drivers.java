package io.stellaops.agents.driver;

import io.stellaops.agents.driver.compose.ComposeDriver;
import io.stellaops.agents.driver.docker.DockerDriver;
import io.stellaops.agents.driver.docker.DockerEngine;
import io.stellaops.agents.driver.ecs.EcsDriver;
import io.stellaops.agents.driver.nomad.NomadDriver;
import io.stellaops.crds.common.TargetType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The drivers an agent offers, one per target type. */
public final class Drivers {
  private final Map<TargetType, TargetDriver> byType = new EnumMap<>(TargetType.class);

  public Drivers(List<TargetDriver> drivers) {
    drivers.forEach(d -> byType.put(d.type(), d));
  }

  /** Every driver this build knows; each says itself whether it can work on this host. */
  public static Drivers standard(DockerEngine docker) {
    return new Drivers(
        List.of(
            new DockerDriver(docker),
            new ComposeDriver(docker),
            new EcsDriver(),
            new NomadDriver()));
  }

  public Optional<TargetDriver> forType(TargetType type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** The types that can be served on this host now. */
  public List<TargetType> available() {
    return byType.values().stream()
        .filter(d -> d.unavailableReason() == null)
        .map(TargetDriver::type)
        .toList();
  }
}
