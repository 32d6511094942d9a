package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * An authenticated Kubernetes identity. Always stamped by the admission webhook from the request's
 * userInfo; a value sent by a client is rejected.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Identity(
    @Required
        @JsonPropertyDescription(
            "Kubernetes user name, e.g. jane@example.com or system:serviceaccount:ci:builder.")
        String username,
    @JsonPropertyDescription("Kubernetes user UID, when the authenticator provides one.")
        String uid,
    @JsonPropertyDescription("Groups the user belonged to when the request was made.")
        List<String> groups) {}
