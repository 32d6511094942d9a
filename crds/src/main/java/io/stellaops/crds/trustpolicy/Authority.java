package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;

/** A signer: a public key, or a keyless (Fulcio) identity checked against an offline trust root. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.key) != has(self.keyless)",
    message = "an authority is either key or keyless: set exactly one",
    reason = "FieldValueInvalid")
public record Authority(
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription("Authority name, shown in verdicts.")
        String name,
    @JsonPropertyDescription("A public key (ECDSA P-256, RSA or Ed25519).") KeyAuthority key,
    @JsonPropertyDescription(
            "A keyless identity: certificate issuer and subject from an OIDC login.")
        KeylessAuthority keyless) {}
