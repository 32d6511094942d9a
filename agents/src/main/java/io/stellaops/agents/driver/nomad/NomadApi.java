package io.stellaops.agents.driver.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.agents.driver.DeploymentFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few calls of Nomad's HTTP API a deployment needs, jobs kept as JSON trees so fields this
 * agent does not know survive a round trip. Hand-written: Nomad's Java SDK is unmaintained and its
 * typed job model drops fields of newer Nomad versions.
 */
final class NomadApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final String address;
  private final String namespace;
  private final String token;

  NomadApi(String address, String namespace, String token) {
    this.address = address.replaceAll("/+$", "");
    this.namespace = namespace == null ? "default" : namespace;
    this.token = token;
  }

  /** The job, or null when Nomad has none by that ID. */
  JsonNode job(String id) throws DeploymentFailure {
    return call("GET", "/v1/job/" + encode(id), null, Duration.ofSeconds(30)).body();
  }

  /** Registers {@code job} unless someone changed it since {@code modifyIndex}. */
  JsonNode register(JsonNode job, long modifyIndex) throws DeploymentFailure {
    ObjectNode body = JSON.createObjectNode();
    body.set("Job", job);
    body.put("EnforceIndex", true);
    body.put("JobModifyIndex", modifyIndex);
    return call("POST", "/v1/job/" + encode(job.path("ID").asText()), body, Duration.ofSeconds(30))
        .body();
  }

  /**
   * The job's latest deployment (null before the first one), waiting up to {@code wait} for it to
   * change after {@code index}: a Nomad blocking query.
   */
  Answer latestDeployment(String id, long index, Duration wait) throws DeploymentFailure {
    String query = "?index=" + index + "&wait=" + wait.toMillis() + "ms";
    return call("GET", "/v1/job/" + encode(id) + "/deployment" + query, null, wait.plusSeconds(30));
  }

  /** The job's allocations, every version, with their task states. */
  JsonNode allocations(String id) throws DeploymentFailure {
    return call("GET", "/v1/job/" + encode(id) + "/allocations", null, Duration.ofSeconds(30))
        .body();
  }

  void failDeployment(String deploymentId) throws DeploymentFailure {
    call("POST", "/v1/deployment/fail/" + encode(deploymentId), null, Duration.ofSeconds(30));
  }

  /** Reverts the job to {@code version}, only if it is still at {@code current}. */
  void revert(String id, long version, long current) throws DeploymentFailure {
    ObjectNode body = JSON.createObjectNode();
    body.put("JobID", id);
    body.put("JobVersion", version);
    body.put("EnforcePriorVersion", current);
    call("POST", "/v1/job/" + encode(id) + "/revert", body, Duration.ofSeconds(30));
  }

  /** A response body and Nomad's {@code X-Nomad-Index}, the index for the next blocking query. */
  record Answer(JsonNode body, long index) {}

  private Answer call(String method, String path, JsonNode body, Duration timeout)
      throws DeploymentFailure {
    String separator = path.contains("?") ? "&" : "?";
    URI uri = URI.create(address + path + separator + "namespace=" + encode(namespace));
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null && !token.isBlank()) {
      request.header("X-Nomad-Token", token);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long index = response.headers().firstValue("X-Nomad-Index").map(Long::parseLong).orElse(0L);
      if (response.statusCode() == 404 && method.equals("GET")) {
        return new Answer(null, index);
      }
      if (response.statusCode() / 100 != 2) {
        throw new DeploymentFailure(
            "Nomad at "
                + address
                + " answered "
                + method
                + " "
                + path
                + " with "
                + response.statusCode()
                + ": "
                + response.body().strip());
      }
      JsonNode json = response.body().isBlank() ? null : JSON.readTree(response.body());
      return new Answer(json == null || json.isNull() ? null : json, index);
    } catch (IOException e) {
      throw new DeploymentFailure("cannot reach Nomad at " + address + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeploymentFailure("interrupted while calling Nomad at " + address);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
