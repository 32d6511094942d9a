package io.stellaops.crds.evidencepacket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import io.stellaops.crds.common.ArtifactRef;
import io.stellaops.crds.common.ComponentDigest;
import java.util.List;

/** A signed in-toto Statement about a promotion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "EvidencePacket spec is immutable",
    reason = "FieldValueForbidden")
public record EvidencePacketSpec(
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Promotion this packet records.")
        String promotion,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Release promoted.")
        String release,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("Environment promoted into.")
        String environment,
    @Required @Pattern("^(allow|deny)$") @JsonPropertyDescription("allow or deny.") String decision,
    @Required
        @Pattern(ApiPatterns.DIGEST)
        @JsonPropertyDescription("sha256 of the canonical decision inputs.")
        String inputsHash,
    @Required
        @Size(min = 1, max = 32)
        @JsonPropertyDescription("The Statement's subjects: component digests.")
        List<ComponentDigest> subject,
    @Required @JsonPropertyDescription("DSSE envelope of the in-toto Statement v1.")
        Envelope envelope,
    @Size(max = 64) @JsonPropertyDescription("Artifacts the predicate references, by digest.")
        List<ArtifactRef> artifacts,
    @Required
        @Size(max = 253)
        @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription("IlmClass governing retention.")
        String ilmClass) {}
