package io.stellaops.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.common.Identity;
import io.stellaops.crds.common.SchemaBounds;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.gatepolicy.GatePolicySpec;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
import io.stellaops.crds.release.ReleaseSpec;
import io.stellaops.supplychain.digest.Sha256;
import java.util.List;
import java.util.Map;

/**
 * Everything a promotion decision depends on, and nothing else: the decision is a pure function of
 * this record. It is stored in the evidence packet, hashed in its RFC 8785 form ({@code
 * inputsHash}) and replayed from there. Times are RFC 3339 strings so the canonical form is stable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionInput(
    PromotionInput promotion,
    ReleaseInput release,
    EnvironmentInput environment,
    List<ApprovalInput> approvals,
    List<PolicyInput> gatePolicies,
    String now) {

  public DecisionInput {
    required("promotion", promotion);
    required("release", release);
    required("environment", environment);
    instant("now", now);
    SchemaBounds.check("promotion", promotion);
    SchemaBounds.check("release", release);
    SchemaBounds.check("environment.spec", environment.spec());
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
    gatePolicies = gatePolicies == null ? List.of() : List.copyOf(gatePolicies);
  }

  /** The promotion request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PromotionInput(
      String name,
      String namespace,
      Identity requestedBy,
      String reason,
      BreakGlass breakGlass,
      String requestedAt) {
    public PromotionInput {
      required("promotion.name", name);
    }
  }

  /** The release and what verification found. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReleaseInput(
      String name, String version, List<ComponentInput> components, String quarantineReason) {
    public ReleaseInput {
      required("release.name", name);
      if (components != null && components.size() > ReleaseSpec.MAX_COMPONENTS) {
        throw new IllegalArgumentException(
            "release.components: "
                + components.size()
                + ", more than the "
                + ReleaseSpec.MAX_COMPONENTS
                + " a Release holds");
      }
      components = components == null ? List.of() : List.copyOf(components);
    }
  }

  /** One component as the release controller verified it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComponentInput(
      String name,
      String image,
      String digest,
      String tag,
      String signature,
      String verifiedBy,
      String sbomDigest,
      FindingsSummary findings,
      ProvenanceSummary provenance) {
    public ComponentInput {
      required("component name", name);
      if (digest != null && !Sha256.isDigest(digest)) {
        // the Release's schema admits no other; a recorded input that holds one was not ours
        throw new IllegalArgumentException(
            "component " + name + ": digest " + digest + " is not sha256:<64 hex>");
      }
    }
  }

  /**
   * The target environment's rules, and when the release succeeded in each of its upstream
   * environments (absent when it has not).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvironmentInput(
      String name, EnvironmentSpec spec, Map<String, String> upstreamSucceededAt) {
    public EnvironmentInput {
      required("environment.name", name);
      required("environment.spec", spec);
      upstreamSucceededAt =
          upstreamSucceededAt == null ? Map.of() : Map.copyOf(upstreamSucceededAt);
      upstreamSucceededAt.forEach((env, at) -> instant("upstreamSucceededAt." + env, at));
    }
  }

  /** An Approval object of this promotion, as admitted (approver and subject stamped). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApprovalInput(
      String name,
      Identity approver,
      String decision,
      ApprovalSubject subject,
      String createdAt,
      String comment) {
    public ApprovalInput {
      required("approval name", name);
      required("approval " + name + " approver", approver);
      if (createdAt != null) {
        instant("approval " + name + " createdAt", createdAt);
      }
    }
  }

  private static void required(String field, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
  }

  /**
   * The times the controller records are RFC 3339 instants; a recorded input with another was not
   * written by it, and is refused whole rather than decided in part.
   */
  private static void instant(String field, String value) {
    try {
      java.time.Instant.parse(value);
    } catch (NullPointerException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(field + ": " + value + " is not an RFC 3339 time");
    }
  }

  /** A GatePolicy the environment names; {@code ready} is false when missing or not compiling. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyInput(String name, boolean ready, String policyDigest, GatePolicySpec spec) {
    public PolicyInput {
      required("gate policy name", name);
      SchemaBounds.check("gatePolicies." + name + ".spec", spec);
    }
  }
}
