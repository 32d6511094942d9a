package io.stellaops.decision.gates;

import io.stellaops.crds.approval.ApprovalSubject;
import io.stellaops.crds.common.Identity;
import io.stellaops.crds.environment.ApprovalPolicy;
import io.stellaops.decision.DecisionInput.ApprovalInput;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts approvals against an approval policy. An approval counts when it is bound to this
 * release's digests and environment, its approver is allowed, is not the requester (unless the
 * policy allows self-approval) and it has not expired. A rejection by an allowed approver vetoes;
 * each approver counts once.
 */
public final class ApprovalCount {
  private ApprovalCount() {}

  /** Distinct approvers who approved, who rejected, and why other approvals did not count. */
  public record Tally(
      int required, List<String> approvedBy, List<String> rejectedBy, List<String> notCounted) {
    public boolean satisfied() {
      return rejectedBy.isEmpty() && approvedBy.size() >= required;
    }
  }

  public static Tally count(
      ApprovalPolicy policy,
      List<ApprovalInput> approvals,
      ApprovalSubject expected,
      Identity requester,
      Instant now) {
    int required = policy == null || policy.required() == null ? 0 : policy.required();
    Set<String> approved = new LinkedHashSet<>();
    Set<String> rejected = new LinkedHashSet<>();
    List<String> notCounted = new ArrayList<>();
    List<ApprovalInput> ordered =
        approvals.stream().sorted(Comparator.comparing(ApprovalInput::name)).toList();
    for (ApprovalInput a : ordered) {
      Exclusion why = judge(policy, a, expected, requester, now);
      if (why != null) {
        notCounted.add(a.name() + ": " + why.message());
      } else if ("reject".equals(a.decision())) {
        rejected.add(a.approver().username());
      } else {
        approved.add(a.approver().username());
      }
    }
    return new Tally(required, List.copyOf(approved), List.copyOf(rejected), notCounted);
  }

  /** Why an approval does not count; {@link Reason} is what Approval status.reason shows. */
  public record Exclusion(Reason reason, String message) {}

  /** The reasons an approval does not count. */
  public enum Reason {
    NoApprover,
    OtherSubject,
    NoneRequired,
    NotAllowed,
    SelfApproval,
    Expired
  }

  /** Why {@code a} does not count under {@code policy}, or null when it counts. */
  public static Exclusion judge(
      ApprovalPolicy policy,
      ApprovalInput a,
      ApprovalSubject expected,
      Identity requester,
      Instant now) {
    if (a.approver() == null || a.approver().username() == null) {
      return new Exclusion(Reason.NoApprover, "no authenticated approver was recorded");
    }
    String user = a.approver().username();
    if (a.subject() == null || !expected.equals(a.subject())) {
      return new Exclusion(
          Reason.OtherSubject, "given for another release, environment or set of digests");
    }
    if (policy == null || policy.required() == null || policy.required() == 0) {
      return new Exclusion(Reason.NoneRequired, "the environment requires no approvals");
    }
    if (!allowed(policy, a.approver())) {
      return new Exclusion(Reason.NotAllowed, user + " is not an allowed approver");
    }
    boolean selfApprovalAllowed = Boolean.TRUE.equals(policy.allowSelfApproval());
    if (!selfApprovalAllowed && requester != null && user.equals(requester.username())) {
      return new Exclusion(
          Reason.SelfApproval, user + " requested the promotion and self-approval is not allowed");
    }
    Instant expires;
    try {
      expires = expiresAt(policy, a);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // fails closed: an approval whose expiry cannot be told does not count
      return new Exclusion(Reason.Expired, "when it expires cannot be told: " + e.getMessage());
    }
    if (expires != null && !now.isBefore(expires)) {
      return new Exclusion(Reason.Expired, "expired at " + expires);
    }
    return null;
  }

  /**
   * When {@code a} stops counting under {@code policy}; null if it does not expire.
   *
   * @throws IllegalArgumentException when the policy's expiry is no duration this reads
   * @throws java.time.DateTimeException when the approval's creation time is not RFC 3339
   */
  public static Instant expiresAt(ApprovalPolicy policy, ApprovalInput a) {
    if (policy == null || policy.expiry() == null || a.createdAt() == null) {
      return null;
    }
    return Instant.parse(a.createdAt()).plus(GoDuration.parse(policy.expiry()));
  }

  private static boolean allowed(ApprovalPolicy policy, Identity approver) {
    if (policy.allowedUsers() != null && policy.allowedUsers().contains(approver.username())) {
      return true;
    }
    return policy.allowedGroups() != null
        && approver.groups() != null
        && approver.groups().stream().anyMatch(policy.allowedGroups()::contains);
  }
}
