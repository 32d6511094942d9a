package io.stellaops.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import io.stellaops.supplychain.time.Deadline;
import io.stellaops.webhooks.tls.WebhookCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves AdmissionReviews over TLS, one path per handler. Every request is answered within {@code
 * deadline} (below the webhook timeout the API server applies): a check that takes longer is denied
 * with a message naming it, instead of leaving the API server to time out, and the work behind it
 * stops ({@link Deadline}: no registry request starts after it, none waits past it). A handler that
 * fails denies too (fail closed). Built on the JDK's HTTPS server: the webhook needs nothing more,
 * and one dependency fewer is one less thing to patch.
 */
public final class AdmissionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

  private final HttpsServer server;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final KubernetesSerialization serialization;
  private final Duration deadline;

  public AdmissionServer(
      InetSocketAddress address,
      WebhookCertificates certificates,
      Map<String, AdmissionRequestHandler> handlers,
      Duration deadline,
      KubernetesSerialization serialization)
      throws IOException {
    this.serialization = serialization;
    this.deadline = deadline;
    this.server = HttpsServer.create(address, 64);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext(certificates)));
    server.setExecutor(workers);
    handlers.forEach(
        (path, handler) -> server.createContext(path, exchange -> serve(exchange, path, handler)));
  }

  public void start() {
    server.start();
    LOG.info("admission server listening on {}", server.getAddress());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
  }

  private void serve(HttpExchange exchange, String path, AdmissionRequestHandler handler)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      AdmissionReview review =
          serialization.unmarshal(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
              AdmissionReview.class);
      var request = review.getRequest();
      AdmissionResponse response = decide(path, handler, review);
      response.setUid(request.getUid());
      review.setResponse(response);
      review.setRequest(null);
      byte[] body = serialization.asJson(review).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private AdmissionResponse decide(
      String path, AdmissionRequestHandler handler, AdmissionReview review) {
    var request = review.getRequest();
    String what =
        request.getOperation()
            + " "
            + request.getKind().getKind()
            + " "
            + request.getNamespace()
            + "/"
            + request.getName();
    long start = System.nanoTime();
    AdmissionResponse response = decide(path, handler, request, what);
    AdmissionMetrics.ADMISSION_DURATION
        .labelValues(path, String.valueOf(response.getAllowed()))
        .observe((System.nanoTime() - start) / 1e9);
    return response;
  }

  private AdmissionResponse decide(
      String path, AdmissionRequestHandler handler, AdmissionRequest request, String what) {
    Deadline budget = Deadline.in(deadline);
    Future<AdmissionResponse> future =
        workers.submit(() -> budget.run(() -> handler.handle(request)));
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // the answer is given: the checks behind it stop at their next registry request
      budget.cancel();
      future.cancel(true);
      return outOfTime(path, what, budget.waitingFor());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Deadline.Exceeded) {
        // the checks saw the deadline first: the same answer as when the server does
        return outOfTime(path, what, budget.waitingFor());
      }
      if (e.getCause() instanceof AdmittedObjects.Unreadable unreadable) {
        return deny(400, unreadable.getMessage());
      }
      LOG.error("admission of {} at {} failed", what, path, e.getCause());
      return deny(
          500, "Stella Operator could not check " + what + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return deny(503, "Stella Operator is shutting down; try again");
    }
  }

  private AdmissionResponse outOfTime(String path, String what, String waitingFor) {
    LOG.warn("admission of {} at {} exceeded {} {}", what, path, deadline, waitingFor);
    return deny(
        504,
        "Stella Operator could not finish checking "
            + what
            + " within "
            + deadline.toSeconds()
            + "s"
            + (waitingFor == null
                ? "; try again, and if it persists check the operator's logs"
                : " ("
                    + waitingFor
                    + " did not answer in time); check that it is up and"
                    + " reachable from the operator, then try again"));
  }

  /** A denial with the message users see after "denied the request:". */
  public static AdmissionResponse deny(int code, String message) {
    AdmissionResponse response = new AdmissionResponse();
    response.setAllowed(false);
    response.setStatus(new StatusBuilder().withCode(code).withMessage(message).build());
    return response;
  }

  private static SSLContext sslContext(WebhookCertificates certificates) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "webhook",
          certificates.servingKey().getPrivate(),
          password,
          new Certificate[] {certificates.serving(), certificates.ca()});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for the admission server", e);
    }
  }
}
