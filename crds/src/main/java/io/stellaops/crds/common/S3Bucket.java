package io.stellaops.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An S3 (or S3-compatible) bucket bundles are written to: ILM archives and exports.
 *
 * @param bucket bucket name
 * @param prefix key prefix
 * @param region region
 * @param endpoint endpoint of an S3-compatible server
 * @param credentialsSecret Secret with the credentials
 * @param objectLock Object Lock retention of every object written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Bucket(
    @Required
        @Size(min = 3, max = 63)
        @Pattern("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
        @JsonPropertyDescription(
            "Bucket name. For retention the bucket must have Object Lock enabled.")
        String bucket,
    @Size(max = 512) @JsonPropertyDescription("Key prefix, e.g. stella/archives/.") String prefix,
    @Size(max = 64) @JsonPropertyDescription("Region, e.g. eu-central-1.") String region,
    @Size(max = 512)
        @Pattern("^https?://.+$")
        @JsonPropertyDescription("Endpoint of an S3-compatible server; empty for AWS S3 itself.")
        String endpoint,
    @Required
        @JsonPropertyDescription(
            "Secret with keys accessKeyId and secretAccessKey: in the operator's namespace for an"
                + " IlmClass, in the Export's own namespace for an Export.")
        String credentialsSecret,
    @JsonPropertyDescription(
            "Object Lock retention set on every object written: the server refuses to delete"
                + " or overwrite it until the period ends.")
        ObjectLock objectLock) {

  /** Object Lock retention of written objects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ObjectLock(
      @Required
          @JsonPropertyDescription(
              "COMPLIANCE (nobody can shorten or remove the lock) or GOVERNANCE (users with"
                  + " s3:BypassGovernanceRetention can).")
          LockMode mode,
      @Required
          @Pattern("^[0-9]+(d|y)$")
          @JsonPropertyDescription("How long each object is locked, e.g. 7y or 400d.")
          String retention) {}

  /** Object Lock modes. */
  public enum LockMode {
    COMPLIANCE,
    GOVERNANCE
  }
}
