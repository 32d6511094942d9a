package io.stellaops.crds.advisoryfeed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.SecretKeyRef;

/** Exactly one place a snapshot or document is read from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.oci), has(self.path), has(self.configMap)].filter(x, x).size() == 1",
    message = "set exactly one of oci, path or configMap",
    reason = "FieldValueInvalid")
public record FeedSource(
    @Size(max = 512)
        @Pattern("^[^\\s]+@sha256:[a-f0-9]{64}$|^[^\\s@]+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
        @JsonPropertyDescription(
            "OCI artifact reference (repo:tag or repo@sha256:…) of a tarball or directory of OSV records.")
        String oci,
    @Size(max = 1024)
        @Pattern("^/.*")
        @JsonPropertyDescription(
            "Absolute path inside the operator container (a mounted volume): a directory or .tar.gz.")
        String path,
    @JsonPropertyDescription(
            "A ConfigMap key holding one document (small feeds and VEX statements).")
        SecretKeyRef configMap) {}
