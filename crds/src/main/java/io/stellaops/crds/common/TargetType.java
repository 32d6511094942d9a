package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kinds of deployment destination an agent can drive. */
public enum TargetType {
  @JsonProperty("docker")
  DOCKER,
  @JsonProperty("compose")
  COMPOSE,
  @JsonProperty("ecs")
  ECS,
  @JsonProperty("nomad")
  NOMAD
}
