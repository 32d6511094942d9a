/**
 * The remote agent: authenticates to the Kubernetes API as its own service account, renews a Lease
 * as its heartbeat, executes the DeploymentJobs assigned to it through the driver of the target's
 * type, and reports what runs on its targets. No inbound port, no private protocol.
 */
package io.stellaops.agents;
