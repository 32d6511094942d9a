package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;
import java.util.Map;

/** How to run a release's components as containers on one Docker host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DockerSettings(
    @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription(
            "Prefix of container names; a component runs as <prefix>-<component>. Defaults to the target name.")
        String containerPrefix,
    @Size(max = 128) @JsonPropertyDescription("Docker network the containers join.") String network,
    @Size(max = 32) @JsonPropertyDescription("Published ports as host:container, e.g. 8080:80.")
        List<@Pattern("^([0-9.]+:)?[0-9]{1,5}:[0-9]{1,5}(/(tcp|udp))?$") String> ports,
    @JsonPropertyDescription("Environment variables passed to every container.")
        Map<String, String> env,
    @Size(max = 32)
        @JsonPropertyDescription(
            "Health check run inside a new container, exec form (e.g. [\"/bin/busybox\", \"wget\", \"-q\", \"-O-\", \"http://127.0.0.1:8080/healthz\"]); it must pass before the old container is stopped. When empty, the image's own HEALTHCHECK is used, and an image without one must keep running for 3 seconds.")
        List<@Size(max = 4096) String> healthCheck,
    @Default("2m")
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription(
            "How long a new container may take to become healthy before the job fails and the old one keeps serving.")
        String healthTimeout,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "Host directory where the agent writes stella.version.json (release, version, digests, promotion, time).")
        String stickerPath) {}
