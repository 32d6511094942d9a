package io.stellaops.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.common.Identity;
import io.stellaops.crds.environment.EnvironmentSpec;
import io.stellaops.crds.gatepolicy.GatePolicySpec;
import io.stellaops.crds.promotion.BreakGlass;
import io.stellaops.crds.release.FindingsSummary;
import io.stellaops.crds.release.ProvenanceSummary;
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
      String requestedAt) {}

  /** The release and what verification found. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReleaseInput(
      String name, String version, List<ComponentInput> components, String quarantineReason) {
    public ReleaseInput {
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
      ProvenanceSummary provenance) {}

  /**
   * The target environment's rules, and when the release succeeded in each of its upstream
   * environments (absent when it has not).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvironmentInput(
      String name, EnvironmentSpec spec, Map<String, String> upstreamSucceededAt) {
    public EnvironmentInput {
      upstreamSucceededAt =
          upstreamSucceededAt == null ? Map.of() : Map.copyOf(upstreamSucceededAt);
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
      String comment) {}

  /** A GatePolicy the environment names; {@code ready} is false when missing or not compiling. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyInput(String name, boolean ready, String policyDigest, GatePolicySpec spec) {}
}
