package io.stellaops.supplychain.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.time.Deadline;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Resolves tags and digests against an OCI distribution registry: GET the manifest, compute its
 * sha256 over the bytes received (never trusting a header), keep an index's own digest for
 * multi-arch images. Anonymous, Basic and Bearer-token (challenge) authentication. Hand-written on
 * java.net.http because resolution is one request of the distribution spec and jib-core's registry
 * client is not public API.
 */
public final class RegistryClient implements OciReader {
  static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /**
   * How much a registry may make us read. A larger answer is refused as soon as it is known to be
   * larger (its declared length, else the byte past the limit), with a message.
   *
   * @param manifestBytes a manifest, index or error answer (4 MiB, distribution's own limit)
   * @param blobBytes a blob: signature payload, attestation, bundle, SBOM or snapshot (64 MiB;
   *     cosign allows 128 MiB, but a webhook answering within seconds holds what it reads)
   * @param referrerPages pages of a referrers listing
   * @param referrers referrers of one digest, over all pages
   */
  public record Limits(long manifestBytes, long blobBytes, int referrerPages, int referrers) {
    public static final Limits DEFAULT = new Limits(4L << 20, 64L << 20, 10, 1000);

    /** For export bundles: larger than anything admission reads, and read whole. */
    public static final Limits BUNDLES = new Limits(4L << 20, Bundle.MAX_BYTES, 10, 1000);
  }

  private final HttpClient http;
  private final Duration timeout;
  private final Set<String> insecureRegistries;
  private final Limits limits;

  private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  /** Repositories ({@code registry/repository}) this process has put the empty config in. */
  private final Map<String, String> emptyConfigs = new ConcurrentHashMap<>();

  public RegistryClient(Duration timeout) {
    this(timeout, Set.of());
  }

  /**
   * {@code insecureRegistries} ({@code host[:port]}, as dockerd's {@code insecure-registries})
   * speak plain HTTP; loopback registries always do.
   */
  public RegistryClient(Duration timeout, Set<String> insecureRegistries) {
    this(timeout, insecureRegistries, Limits.DEFAULT);
  }

  public RegistryClient(Duration timeout, Set<String> insecureRegistries, Limits limits) {
    this.timeout = timeout;
    this.limits = limits;
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** Basic credentials for one registry, e.g. from a dockerconfigjson Secret. */
  public record Credentials(String username, String password) {}

  /** A manifest as the registry served it. */
  public record Manifest(String digest, String mediaType, byte[] bytes) {}

  /**
   * Fetches the manifest of {@code image} at {@code reference} (tag or digest). A digest reference
   * must match the bytes served. Throws {@link RegistryException} with the registry's own answer.
   */
  @Override
  public Manifest manifest(String image, String reference, Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(image);
    HttpResponse<byte[]> response =
        fetch(ref, "/manifests/" + reference, credentials, limits.manifestBytes());
    if (response.statusCode() != 200) {
      throw new RegistryException(
          ref + ":" + reference, response.statusCode(), errorText(response.body()));
    }
    byte[] body = response.body();
    String digest = Sha256.digest(body);
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new RegistryException(
          ref + "@" + reference + ": the registry served a manifest whose digest is " + digest);
    }
    String mediaType = response.headers().firstValue("Content-Type").orElse("");
    return new Manifest(digest, mediaType.split(";")[0].trim(), body);
  }

  /**
   * The first layer of the artifact {@code reference} ({@code repo:tag} or {@code repo@sha256:…}),
   * e.g. an archive or document pushed with {@code oras push}.
   */
  public byte[] firstLayer(String reference, Optional<Credentials> credentials) {
    var named =
        ImageReference.Named.split(reference)
            .orElseThrow(() -> new RegistryException(reference + ": names no tag or digest"));
    String repository = named.repository();
    String ref = named.reference();
    JsonNode layer;
    try {
      layer =
          CanonicalJson.MAPPER
              .readTree(manifest(repository, ref, credentials).bytes())
              .path("layers")
              .path(0);
    } catch (IOException e) {
      throw new RegistryException(reference + ": the manifest is not JSON");
    }
    if (!layer.path("digest").isTextual()) {
      throw new RegistryException(reference + ": the artifact has no layer");
    }
    return blob(repository, layer.path("digest").asText(), credentials);
  }

  /**
   * Manifests that name {@code image@digest} as their subject (signatures, attestations, SBOMs).
   *
   * @param descriptors the index entries, each with the referrer's digest and annotations
   * @param source where they were listed (or why nowhere), for messages
   */
  public record Referrers(List<JsonNode> descriptors, String source) {
    /** Listed by the registry's referrers API, which indexes every manifest with a subject. */
    public boolean fromApi() {
      return source.equals(BY_API);
    }

    /** Listed by the {@code sha256-<hex>} index tag clients maintain where there is no API. */
    public boolean fromTag() {
      return source.startsWith(BY_TAG);
    }
  }

  private static final String BY_API = "listed by the referrers API";
  private static final String BY_TAG = "listed by the sha256-";

  /**
   * The referrers of {@code image@digest}: the OCI 1.1 referrers API, else, on a registry without
   * it (404), the referrers tag schema ({@code sha256-<hex>}) that clients maintain there. Neither
   * means none, as the distribution spec says.
   */
  @Override
  public Referrers referrers(String image, String digest, Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(image);
    List<JsonNode> descriptors = new ArrayList<>();
    String path = "/referrers/" + digest;
    for (int page = 0; path != null; page++) {
      if (page == limits.referrerPages()) {
        throw new RegistryException(
            ref
                + ": referrers of "
                + digest
                + " fill more than "
                + limits.referrerPages()
                + " pages: refused unread");
      }
      HttpResponse<byte[]> response = fetch(ref, path, credentials, limits.manifestBytes());
      if (response.statusCode() == 404 && page == 0) {
        return referrersTag(image, digest, credentials);
      }
      if (response.statusCode() != 200) {
        throw new RegistryException(
            ref + ": referrers of " + digest, response.statusCode(), errorText(response.body()));
      }
      descriptors.addAll(manifestsOf(response.body(), ref + ": referrers of " + digest));
      path = nextPage(response, ref);
    }
    return new Referrers(descriptors, BY_API);
  }

  private Referrers referrersTag(String image, String digest, Optional<Credentials> credentials) {
    String tag = "sha256-" + Sha256.hexOf(digest);
    Manifest index;
    try {
      index = manifest(image, tag, credentials);
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return new Referrers(List.of(), "the registry has no referrers API and no " + tag + " tag");
      }
      throw e;
    }
    return new Referrers(
        manifestsOf(index.bytes(), image + ":" + tag), BY_TAG + Sha256.hexOf(digest) + " tag");
  }

  private List<JsonNode> manifestsOf(byte[] index, String what) {
    JsonNode manifests;
    try {
      manifests = CanonicalJson.MAPPER.readTree(index).path("manifests");
    } catch (IOException e) {
      throw new RegistryException(what + ": the index is not JSON");
    }
    if (manifests.size() > limits.referrers()) {
      throw new RegistryException(
          what + ": lists " + manifests.size() + " referrers, more than " + limits.referrers());
    }
    List<JsonNode> list = new ArrayList<>();
    manifests.forEach(list::add);
    return list;
  }

  /** The path of the page a {@code Link: <…>; rel="next"} header names, on the same registry. */
  private static String nextPage(HttpResponse<byte[]> response, ImageReference ref) {
    Matcher link = NEXT_LINK.matcher(response.headers().firstValue("Link").orElse(""));
    if (!link.find()) {
      return null;
    }
    String next = link.group(1);
    String prefix = "/v2/" + ref.repository();
    int at = next.indexOf(prefix);
    return at < 0 ? null : next.substring(at + prefix.length());
  }

  /**
   * Pushes {@code content} as a one-layer OCI artifact tagged {@code tag} in {@code repository} (an
   * empty config, as {@code oras push} writes); returns the manifest's digest. The layer is
   * uploaded without asking first (an archive's content is new: the question costs a request and
   * almost always answers no); the empty config once per repository and process, one push at a
   * time, because parallel first pushes of one blob race in the registry (distribution answered
   * {@code MANIFEST_BLOB_UNKNOWN} to one of 32). Hand-written for the same reason as the reads: two
   * uploads and a manifest PUT of the distribution spec.
   */
  public String pushArtifact(
      String repository,
      String tag,
      String artifactType,
      String mediaType,
      byte[] content,
      Map<String, String> annotations,
      Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(repository);
    String layer = upload(ref, content, credentials);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put("artifactType", artifactType);
    manifest.put(
        "config",
        Map.of(
            "mediaType",
            "application/vnd.oci.empty.v1+json",
            "digest",
            Sha256.digest(EMPTY_CONFIG),
            "size",
            EMPTY_CONFIG.length));
    manifest.put(
        "layers", List.of(Map.of("mediaType", mediaType, "digest", layer, "size", content.length)));
    manifest.put("annotations", annotations);
    byte[] bytes = CanonicalJson.bytes(manifest);
    String configAt = ref.registry() + "/" + ref.repository();
    emptyConfigs.computeIfAbsent(
        configAt, k -> uploadUnlessPresent(ref, EMPTY_CONFIG, credentials));
    HttpResponse<byte[]> put = putManifest(ref, tag, bytes, credentials);
    if (put.statusCode() == 400 && emptyConfigs.remove(configAt) != null) {
      // the registry lost the config since this process pushed it (garbage collected, deleted)
      emptyConfigs.computeIfAbsent(
          configAt, k -> uploadUnlessPresent(ref, EMPTY_CONFIG, credentials));
      put = putManifest(ref, tag, bytes, credentials);
    }
    if (put.statusCode() != 201) {
      throw new RegistryException(
          ref + ":" + tag + ": manifest push", put.statusCode(), errorText(put.body()));
    }
    return Sha256.digest(bytes);
  }

  private HttpResponse<byte[]> putManifest(
      ImageReference ref, String tag, byte[] manifest, Optional<Credentials> credentials) {
    return putManifest(
        ref, tag, "application/vnd.oci.image.manifest.v1+json", manifest, credentials);
  }

  private HttpResponse<byte[]> putManifest(
      ImageReference ref,
      String reference,
      String mediaType,
      byte[] manifest,
      Optional<Credentials> credentials) {
    return exchange(
        ref,
        URI.create(api(ref) + "/manifests/" + reference),
        new Write("PUT", mediaType, manifest),
        credentials,
        limits.manifestBytes());
  }

  /**
   * Puts {@code manifest} (of {@code mediaType}, as it was served) into {@code image} at {@code
   * reference}, a tag or its own digest; its blobs must be there. Returns its digest.
   */
  public String pushManifest(
      String image,
      String reference,
      String mediaType,
      byte[] manifest,
      Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(image);
    HttpResponse<byte[]> put = putManifest(ref, reference, mediaType, manifest, credentials);
    if (put.statusCode() != 201) {
      throw new RegistryException(
          ref + ":" + reference + ": manifest push", put.statusCode(), errorText(put.body()));
    }
    return Sha256.digest(manifest);
  }

  /** Whether {@code image}'s repository has blob {@code digest} (a HEAD request). */
  public boolean hasBlob(String image, String digest, Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(image);
    if (!Sha256.isDigest(digest)) {
      throw new RegistryException(ref + ": " + quoted(digest) + " is not a sha256 digest");
    }
    URI at = URI.create(api(ref) + "/blobs/" + digest);
    return exchange(ref, at, new Write("HEAD", null, null), credentials, 0).statusCode() == 200;
  }

  /** Uploads {@code blob} into {@code image}'s repository unless it is there; its digest. */
  public String pushBlob(String image, byte[] blob, Optional<Credentials> credentials) {
    return uploadUnlessPresent(ImageReference.parse(image), blob, credentials);
  }

  /** Uploads {@code blob} unless the registry has it; its digest. */
  private String uploadUnlessPresent(
      ImageReference ref, byte[] blob, Optional<Credentials> credentials) {
    String digest = Sha256.digest(blob);
    URI at = URI.create(api(ref) + "/blobs/" + digest);
    if (exchange(ref, at, new Write("HEAD", null, null), credentials, 0).statusCode() == 200) {
      return digest;
    }
    return upload(ref, blob, credentials);
  }

  /** Uploads {@code blob} (POST, then PUT of the whole); its digest. */
  private String upload(ImageReference ref, byte[] blob, Optional<Credentials> credentials) {
    String digest = Sha256.digest(blob);
    HttpResponse<byte[]> start =
        exchange(
            ref,
            URI.create(api(ref) + "/blobs/uploads/"),
            new Write("POST", null, null),
            credentials,
            limits.manifestBytes());
    String location = start.headers().firstValue("Location").orElse(null);
    if (start.statusCode() != 202 || location == null) {
      throw new RegistryException(
          ref + ": blob upload", start.statusCode(), errorText(start.body()));
    }
    URI upload = URI.create(api(ref) + "/").resolve(location);
    URI put = URI.create(upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + digest);
    HttpResponse<byte[]> done =
        exchange(
            ref,
            put,
            new Write("PUT", "application/octet-stream", blob),
            credentials,
            limits.manifestBytes());
    if (done.statusCode() != 201) {
      throw new RegistryException(
          ref + "@" + digest + ": blob upload", done.statusCode(), errorText(done.body()));
    }
    return digest;
  }

  /** Fetches a blob and checks it against its digest. */
  @Override
  public byte[] blob(String image, String digest, Optional<Credentials> credentials) {
    ImageReference ref = ImageReference.parse(image);
    if (!Sha256.isDigest(digest)) {
      // a digest read from a manifest the registry served: it goes into a URL path
      throw new RegistryException(
          ref + ": a manifest names blob " + quoted(digest) + ", not a sha256 digest");
    }
    HttpResponse<byte[]> response = fetch(ref, "/blobs/" + digest, credentials, limits.blobBytes());
    if (response.statusCode() != 200) {
      throw new RegistryException(
          ref + "@" + digest, response.statusCode(), errorText(response.body()));
    }
    if (!Sha256.digest(response.body()).equals(digest)) {
      throw new RegistryException(
          ref + "@" + digest + ": the registry served a blob with another digest");
    }
    return response.body();
  }

  private static String quoted(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  /** GET {@code <api>/<path>}, answering a Bearer challenge once; at most {@code limit} bytes. */
  private HttpResponse<byte[]> fetch(
      ImageReference ref, String path, Optional<Credentials> credentials, long limit) {
    return exchange(ref, URI.create(api(ref) + path), Write.NONE, credentials, limit);
  }

  private String api(ImageReference ref) {
    return ref.apiBase(ref.plainHttp() || insecureRegistries.contains(ref.registry()));
  }

  /** A request's method and body: a GET, or a write with its content type. */
  private record Write(String method, String contentType, byte[] body) {
    static final Write NONE = new Write("GET", null, null);
  }

  /**
   * A request, authenticated as the registry asks: a Bearer token this process holds for the
   * repository and access is sent at once; without one (or when it is refused), the request goes
   * with Basic credentials or none, and a 401's challenge gets a token, kept until shortly before
   * it expires, so a run of requests costs one token, not one each.
   */
  private HttpResponse<byte[]> exchange(
      ImageReference ref, URI uri, Write write, Optional<Credentials> credentials, long limit) {
    var key =
        new TokenKey(
            ref.registry() + "/" + ref.repository(),
            write.body() != null || write.method().equals("POST"),
            credentials);
    Token held = tokens.get(key);
    HttpResponse<byte[]> response;
    if (held != null && held.fresh()) {
      response = send(uri, write, "Bearer " + held.value(), limit);
      if (response.statusCode() != 401) {
        return response;
      }
      tokens.remove(key, held);
    } else {
      response = send(uri, write, credentials.map(RegistryClient::basic).orElse(null), limit);
    }
    if (response.statusCode() == 401) {
      Token token = token(ref, response, credentials);
      if (tokens.size() >= MAX_TOKENS) {
        // a process talks to few repositories; this only bounds a runaway
        tokens.clear();
      }
      tokens.put(key, token);
      response = send(uri, write, "Bearer " + token.value(), limit);
    }
    return response;
  }

  /** A Bearer token and when to stop using it. */
  private record Token(String value, long freshUntilNanos) {
    boolean fresh() {
      return System.nanoTime() - freshUntilNanos < 0;
    }
  }

  private static final int MAX_TOKENS = 1000;

  /**
   * What a token was granted for: a repository, pull or push, and the whole credentials (the
   * password too: a token got with the right one must not serve a wrong one).
   */
  private record TokenKey(String repository, boolean push, Optional<Credentials> credentials) {}

  private final Map<TokenKey, Token> tokens = new ConcurrentHashMap<>();

  /** Token requests this client made (tests and benchmarks count them). */
  private final AtomicLong tokenRequests = new AtomicLong();

  public long tokenRequests() {
    return tokenRequests.get();
  }

  private HttpResponse<byte[]> get(URI uri, String authorization, long limit) {
    return send(uri, Write.NONE, authorization, limit);
  }

  private HttpResponse<byte[]> send(URI uri, Write write, String authorization, long limit) {
    Deadline.current()
        .ifPresent(d -> {
          d.check("reading " + uri);
          d.waitOn(authority(uri));
        });
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(Deadline.capped(timeout))
            .header("Accept", ACCEPT)
            .method(
                write.method(),
                write.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(write.body()));
    if (write.contentType() != null) {
      request.header("Content-Type", write.contentType());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      var response =
          http.send(
              request.build(),
              write.method().equals("HEAD")
                  ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
                  : LimitedBody.handler(limit));
      Deadline.current().ifPresent(d -> d.waitOn(null));
      return response;
    } catch (HttpTimeoutException e) {
      Deadline.current().ifPresent(d -> d.check("waiting for " + authority(uri)));
      throw new RegistryException(
          authority(uri) + " did not answer within " + timeout.toMillis() + " ms (" + uri + ")");
    } catch (SSLException e) {
      throw new RegistryException(
          "cannot reach "
              + authority(uri)
              + " over HTTPS: "
              + e.getMessage()
              + " (a registry that speaks plain HTTP must be listed in STELLA_INSECURE_REGISTRIES)");
    } catch (IOException e) {
      LimitedBody.TooLarge tooLarge = tooLarge(e);
      if (tooLarge != null) {
        throw new RegistryException(uri + ": the registry's answer " + tooLarge.getMessage());
      }
      throw new RegistryException("cannot reach " + authority(uri) + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while reaching " + uri.getHost());
    }
  }

  private static LimitedBody.TooLarge tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LimitedBody.TooLarge tooLarge) {
        return tooLarge;
      }
    }
    return null;
  }

  /** An I/O failure in words: the first message along its causes, or what it is. */
  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException) {
        return "the host name does not resolve";
      }
      if (t instanceof java.net.ConnectException && t.getMessage() == null) {
        return "connection refused (nothing listens there)";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static String authority(URI uri) {
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  /**
   * The Bearer token flow of the distribution spec (token endpoint named by the challenge): the
   * token, fresh until 10 s before its {@code expires_in} (60 s when the endpoint says nothing, as
   * the spec defaults it).
   */
  private Token token(
      ImageReference ref, HttpResponse<byte[]> challenge, Optional<Credentials> credentials) {
    String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new RegistryException(
          ref
              + ": registry requires authentication ("
              + header
              + ")"
              + (credentials.isEmpty()
                  ? "; no credentials are configured for it"
                  : "; the credentials were refused"));
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(header);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String scope = params.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
    String url =
        params.get("realm")
            + "?service="
            + URLEncoder.encode(params.getOrDefault("service", ""), StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    tokenRequests.incrementAndGet();
    HttpResponse<byte[]> response =
        get(
            URI.create(url),
            credentials.map(RegistryClient::basic).orElse(null),
            limits.manifestBytes());
    if (response.statusCode() != 200) {
      throw new RegistryException(
          ref
              + ": token endpoint answered "
              + response.statusCode()
              + " "
              + errorText(response.body()));
    }
    try {
      var json = CanonicalJson.MAPPER.readTree(response.body());
      String token =
          json.hasNonNull("token")
              ? json.get("token").asText()
              : json.path("access_token").asText(null);
      if (token == null) {
        throw new RegistryException(ref + ": token endpoint returned no token");
      }
      long seconds = json.path("expires_in").asLong(60);
      return new Token(token, System.nanoTime() + Duration.ofSeconds(seconds - 10).toNanos());
    } catch (IOException e) {
      throw new RegistryException(ref + ": token endpoint returned invalid JSON");
    }
  }

  private static String basic(Credentials c) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  /** The OCI error codes and messages of a registry's answer, else its text. */
  private static String errorText(byte[] body) {
    try {
      List<String> errors = new ArrayList<>();
      for (JsonNode error : CanonicalJson.MAPPER.readTree(body).path("errors")) {
        errors.add(error.path("code").asText() + ": " + error.path("message").asText());
      }
      if (!errors.isEmpty()) {
        return String.join("; ", errors);
      }
    } catch (IOException | RuntimeException e) {
      // not the OCI error format: quote the text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
