package io.stellaops.crds.agent;

/**
 * The contract between an agent and the operator: the agent renews the {@code coordination.k8s.io}
 * Lease {@link #name(String)} carrying these annotations; the operator reads it into Agent status.
 * The agent label also selects the DeploymentJobs assigned to an agent.
 */
public final class AgentLease {
  /** Label naming the agent, on its Lease and on the DeploymentJobs assigned to it. */
  public static final String AGENT_LABEL = "stellaops.io/agent";

  public static final String VERSION = "stellaops.io/agent-version";

  /** Comma-separated target types the agent can serve on its host. */
  public static final String CAPABILITIES = "stellaops.io/capabilities";

  public static final String HOSTNAME = "stellaops.io/hostname";

  public static final String ACTIVE_JOBS = "stellaops.io/active-jobs";

  private static final String PREFIX = "stella-agent-";

  private AgentLease() {}

  /** {@code stella-agent-<agent>}. */
  public static String name(String agent) {
    return PREFIX + agent;
  }
}
