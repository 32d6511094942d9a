package io.stellaops.agents.driver;

import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import java.util.List;

/** What a successful deployment left running, and the artifacts it generated. */
public record DeployResult(List<ComponentDigest> observed, List<ArtifactRef> artifacts) {}
