package io.stellaops.agents.driver;

/** A deployment that did not happen, with a message that says why and what to do. */
public final class DeploymentFailure extends Exception {
  public DeploymentFailure(String message) {
    super(message);
  }

  public DeploymentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
