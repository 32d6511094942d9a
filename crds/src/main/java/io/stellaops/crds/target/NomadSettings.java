package io.stellaops.crds.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** A Nomad job registered with digest-pinned docker tasks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NomadSettings(
    @Required
        @Size(max = 1024)
        @Pattern("^https?://.+")
        @JsonPropertyDescription("Nomad HTTP API address, e.g. http://127.0.0.1:4646.")
        String address,
    @Required @Size(max = 128) @JsonPropertyDescription("Nomad job ID.") String job,
    @Default("default") @Size(max = 128) @JsonPropertyDescription("Nomad namespace.")
        String namespace,
    @Size(max = 16) @JsonPropertyDescription("Datacenters the job may run in.")
        List<@Size(max = 128) String> datacenters,
    @Default("15m")
        @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription("How long the Nomad deployment may take before the job fails.")
        String deploymentTimeout) {}
