package io.stellaops.crds.trustpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.SecretKeyRef;

/** A keyless identity checked offline against a Sigstore trust root. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.issuer) != has(self.issuerRegExp)",
    message = "set exactly one of issuer or issuerRegExp",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "has(self.subject) != has(self.subjectRegExp)",
    message = "set exactly one of subject or subjectRegExp",
    reason = "FieldValueInvalid")
public record KeylessAuthority(
    @Size(max = 512)
        @JsonPropertyDescription(
            "OIDC issuer the certificate must name, e.g. https://token.actions.githubusercontent.com.")
        String issuer,
    @Size(max = 512)
        @JsonPropertyDescription(
            "Regular expression (RE2) the issuer must contain a match of, as cosign's --certificate-oidc-issuer-regexp; anchor it with ^ and $.")
        String issuerRegExp,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "Certificate subject (SAN) the signer must have, e.g. an e-mail or workflow URI.")
        String subject,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "Regular expression (RE2) the subject must contain a match of, as cosign's --certificate-identity-regexp; anchor it with ^ and $.")
        String subjectRegExp,
    @Required
        @JsonPropertyDescription(
            "Secret holding a Sigstore trusted_root.json (Fulcio CAs, Rekor and CT log keys), under key trusted_root.json unless key says otherwise; nothing is fetched at admission.")
        SecretKeyRef trustRoot) {}
