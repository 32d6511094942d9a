package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A key of a Secret or ConfigMap in a named namespace (cluster-scoped kinds have no own namespace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyRef(
    @Required @Pattern(ApiPatterns.NAME) @JsonPropertyDescription("Namespace of the object.")
        String namespace,
    @Required @Pattern(ApiPatterns.NAME) @JsonPropertyDescription("Name of the object.")
        String name,
    @JsonPropertyDescription("Key inside the object's data; each use documents its default.")
        String key) {}
