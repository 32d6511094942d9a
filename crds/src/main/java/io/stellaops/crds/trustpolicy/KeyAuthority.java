package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.SecretKeyRef;

/** A key-based authority. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.publicKey) != has(self.secretRef)",
    message = "set exactly one of publicKey or secretRef",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.publicKey) || self.publicKey.startsWith('-----BEGIN PUBLIC KEY-----')",
    message =
        "publicKey must be a PEM public key (-----BEGIN PUBLIC KEY-----), as cosign generate-key-pair writes it",
    fieldPath = ".publicKey",
    reason = "FieldValueInvalid")
public record KeyAuthority(
    @Size(max = 16384) @JsonPropertyDescription("PEM-encoded public key.") String publicKey,
    @JsonPropertyDescription("A Secret holding the PEM public key (key defaults to cosign.pub).")
        SecretKeyRef secretRef) {}
