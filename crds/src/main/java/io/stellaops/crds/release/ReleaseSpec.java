package io.stellaops.crds.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;
import java.util.List;

/** The desired content of a Release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "Release spec is immutable; create a new Release for new content",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.components.all(c, self.components.exists_one(d, d.name == c.name))",
    message = "component names must be unique within a release",
    fieldPath = ".components",
    reason = "FieldValueInvalid")
public record ReleaseSpec(
    @Required
        @Size(max = 128)
        @Pattern(ApiPatterns.SEMVER)
        @JsonPropertyDescription(
            "Semantic version of the release (semver.org 2.0.0, no leading v), e.g. 1.4.2 or 2.0.0-rc.1.")
        String version,
    @Required
        @Size(min = 1, max = MAX_COMPONENTS)
        @JsonPropertyDescription(
            "The images that make up the release, each named once. At admission every tag is resolved to a digest.")
        List<ReleaseComponent> components,
    @JsonPropertyDescription("Where the release was built from, for humans and evidence.")
        ReleaseSource source,
    @Size(max = 4096) @JsonPropertyDescription("Free-form release notes.") String notes,
    @Pattern(ApiPatterns.NAME)
        @JsonPropertyDescription(
            "IlmClass for this release's evidence and artifacts; the default class when empty.")
        String ilmClass) {
  /** The most components a Release holds. */
  public static final int MAX_COMPONENTS = 32;
}
