package io.stellaops.cli;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * What went wrong, said as kubectl says it: {@code Error from server (Reason): message} for an
 * answer of the API server, the cause and what to check when there was no answer. Exit codes: 1
 * error, 3 refused (forbidden by RBAC, denied by admission, invalid); 2 stays picocli's usage code.
 */
final class ApiErrors {
  static final int ERROR = 1;
  static final int REFUSED = 3;

  private ApiErrors() {}

  static String describe(Throwable e) {
    return describe(e, null);
  }

  /** {@code server}: the API server's URL when known, named when it could not be reached. */
  static String describe(Throwable e, String server) {
    if (e instanceof KubernetesClientException k) {
      Status status = k.getStatus();
      if (status != null && status.getMessage() != null && k.getCode() > 0) {
        String reason = status.getReason() == null ? "Code " + k.getCode() : status.getReason();
        return "Error from server (" + reason + "): " + status.getMessage();
      }
      Throwable cause = rootCause(k);
      if (cause instanceof UnknownHostException
          || cause instanceof ConnectException
          || cause instanceof SSLException
          || cause instanceof IOException) {
        return "error: cannot reach the Kubernetes API server"
            + (server == null ? "" : " at " + server)
            + ": "
            + describeCause(cause)
            + "; check the current context of your kubeconfig (or --kubeconfig) and that the"
            + " server is up";
      }
      return "error: " + describeCause(cause == null ? k : cause);
    }
    return "error: " + describeCause(e);
  }

  /** Says, as kubectl does, that {@code name} is not there; returns the exit code. */
  static int notFound(PrintWriter err, String resource, String name, String namespace) {
    err.println(
        "Error from server (NotFound): "
            + resource
            + " \""
            + name
            + "\" not found in namespace "
            + namespace);
    return ERROR;
  }

  static int exitCode(Throwable e) {
    if (e instanceof KubernetesClientException k
        && (k.getCode() == 401 || k.getCode() == 403 || k.getCode() == 422)) {
      return REFUSED;
    }
    return ERROR;
  }

  /** The most telling cause: a named network failure if the chain has one, else the deepest. */
  private static Throwable rootCause(Throwable e) {
    Throwable deepest = null;
    for (Throwable c = e.getCause(); c != null && c != deepest; c = c.getCause()) {
      if (c instanceof UnknownHostException
          || c instanceof ConnectException
          || c instanceof SSLException) {
        return c;
      }
      deepest = c;
    }
    return deepest;
  }

  private static String describeCause(Throwable cause) {
    String message = cause.getMessage();
    String kind =
        switch (cause) {
          case UnknownHostException u -> "unknown host";
          case ConnectException c -> "cannot connect (refused, or the host does not resolve)";
          case SSLException s -> "TLS failed";
          default -> cause.getClass().getSimpleName();
        };
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }
}
