package io.stellaops.crds.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.stellaops.crds.common.ApiPatterns;

/**
 * A period in which promotions are denied: either an absolute range (start, end) or a recurring
 * schedule (cron start + duration) in a time zone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.start) == has(self.end)",
    message = "an absolute freeze window needs both start and end",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "has(self.schedule) == has(self.duration)",
    message = "a recurring freeze window needs both schedule and duration",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "has(self.start) != has(self.schedule)",
    message =
        "a freeze window is either absolute (start/end) or recurring (schedule/duration), not both or neither",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.start) || !has(self.end) || timestamp(self.end) > timestamp(self.start)",
    message = "freeze window end must be after start",
    fieldPath = ".end",
    reason = "FieldValueInvalid")
public record FreezeWindow(
    @Required
        @Size(max = 63)
        @Pattern(ApiPatterns.LABEL)
        @JsonPropertyDescription("Name shown in denials, e.g. black-friday.")
        String name,
    @Pattern(ApiPatterns.TIMESTAMP)
        @JsonPropertyDescription(
            "Start of an absolute window (RFC 3339), e.g. 2026-11-27T00:00:00Z.")
        String start,
    @Pattern(ApiPatterns.TIMESTAMP)
        @JsonPropertyDescription("End of an absolute window (RFC 3339).")
        String end,
    @Pattern(ApiPatterns.CRON)
        @JsonPropertyDescription(
            "Start of each occurrence of a recurring window, as five-field cron, e.g. \"0 18 * * 5\" for Fridays 18:00.")
        String schedule,
    @Pattern(ApiPatterns.DURATION)
        @JsonPropertyDescription("Length of each occurrence of a recurring window, e.g. 62h.")
        String duration,
    @Default("UTC")
        @Size(max = 64)
        @Pattern(ApiPatterns.TIME_ZONE)
        @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin.")
        String timeZone,
    @Size(max = 512) @JsonPropertyDescription("Why the environment is frozen, shown in denials.")
        String reason) {}
