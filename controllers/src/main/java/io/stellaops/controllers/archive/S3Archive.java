package io.stellaops.controllers.archive;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stellaops.crds.common.S3Bucket;
import io.stellaops.supplychain.digest.Sha256;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bundles as objects of an S3 bucket ({@code <prefix><namespace>.<Kind>.<name>.tar}), each written
 * with the class's Object Lock retention, so the store itself refuses to delete or overwrite it
 * until the period ends. An archive already there with the same content is not written again (a
 * bucket with Object Lock keeps versions; a second version would be a second archive).
 */
public final class S3Archive implements ArchiveDestination {
  static final String SHA256 = "bundle-sha256";

  private final S3Client s3;
  private final S3Bucket config;
  private final Clock clock;

  /**
   * The bucket {@code config} names, with the credentials of its Secret in {@code
   * operatorNamespace}.
   *
   * @throws ArchiveException naming the Secret when it is missing or lacks a key
   */
  public static S3Archive open(
      KubernetesClient client, String operatorNamespace, S3Bucket config, Clock clock)
      throws ArchiveException {
    var secret =
        client.secrets().inNamespace(operatorNamespace).withName(config.credentialsSecret()).get();
    Map<String, String> data =
        secret == null || secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey("accessKeyId") || !data.containsKey("secretAccessKey")) {
      throw new ArchiveException(
          "s3://"
              + config.bucket()
              + ": Secret "
              + operatorNamespace
              + "/"
              + config.credentialsSecret()
              + (secret == null ? " does not exist" : " lacks accessKeyId or secretAccessKey"));
    }
    return new S3Archive(
        config, decode(data.get("accessKeyId")), decode(data.get("secretAccessKey")), clock);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  S3Archive(S3Bucket config, String accessKeyId, String secretAccessKey, Clock clock) {
    this.config = config;
    this.clock = clock;
    var builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(config.region() == null ? "us-east-1" : config.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    if (config.endpoint() != null) {
      builder.endpointOverride(URI.create(config.endpoint())).forcePathStyle(true);
    }
    this.s3 = builder.build();
  }

  @Override
  public String describe() {
    return "s3://" + config.bucket() + "/" + prefix();
  }

  private String prefix() {
    return config.prefix() == null ? "" : config.prefix();
  }

  @Override
  public String store(String key, byte[] bundle, String description) throws ArchiveException {
    String objectKey = prefix() + key + ".tar";
    String sha256 = Sha256.hex(bundle);
    try {
      String found = existing(objectKey, sha256);
      if (found == null) {
        var put =
            PutObjectRequest.builder()
                .bucket(config.bucket())
                .key(objectKey)
                .contentType("application/x-tar")
                .contentMD5(md5(bundle))
                .metadata(Map.of(SHA256, sha256, "object", description));
        if (config.objectLock() != null) {
          put.objectLockMode(ObjectLockMode.fromValue(config.objectLock().mode().name()))
              .objectLockRetainUntilDate(until(config.objectLock().retention()));
        }
        found = s3.putObject(put.build(), RequestBody.fromBytes(bundle)).versionId();
      }
      String version = found == null || found.isEmpty() ? null : found;
      byte[] back =
          s3.getObjectAsBytes(
                  b -> {
                    b.bucket(config.bucket()).key(objectKey);
                    if (version != null) {
                      b.versionId(version);
                    }
                  })
              .asByteArray();
      if (!Arrays.equals(back, bundle)) {
        throw new ArchiveException(
            describe() + key + ".tar: the archive read back is not what was written");
      }
      return "s3://"
          + config.bucket()
          + "/"
          + objectKey
          + (version == null ? "" : "?versionId=" + version);
    } catch (SdkException e) {
      throw new ArchiveException(describe() + key + ".tar: " + e.getMessage());
    }
  }

  /** The version of {@code objectKey} holding this very content, null when there is none. */
  private String existing(String objectKey, String sha256) {
    try {
      var head = s3.headObject(b -> b.bucket(config.bucket()).key(objectKey));
      return sha256.equals(head.metadata().get(SHA256))
          ? (head.versionId() == null ? "" : head.versionId())
          : null;
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private Instant until(String retention) {
    // whole seconds: S3-compatible servers differ in how many fraction digits they parse
    return Retention.parse(retention).expiry(clock.instant()).truncatedTo(ChronoUnit.SECONDS);
  }

  @Override
  public void close() {
    s3.close();
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides MD5", e);
    }
  }
}
