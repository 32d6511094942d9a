package io.stellaops.controllers.ilmclass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.stellaops.controllers.MovableClock;
import io.stellaops.controllers.PromotionTestSupport;
import io.stellaops.crds.common.Condition;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.evidencepacket.EvidencePacketSpec;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.decision.evidence.EvidenceVerifier;
import io.stellaops.supplychain.LocalMoto;
import io.stellaops.supplychain.archive.Bundle;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Archives to S3 under Object Lock, against moto's S3 (which enforces Object Lock as S3 does):
 * expired evidence is written with the class's COMPLIANCE retention, read back, verified and only
 * then purged from the cluster; the server itself then refuses to delete the archive; a bucket
 * without Object Lock, or a missing credentials Secret, stalls the class and deletes nothing.
 */
@EnableKubeAPIServer
class IlmS3ArchiveIT {
  static final String NS = "vault";
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String LOCKED = "stella-evidence";
  static final String UNLOCKED = "plain-bucket";
  static KubernetesClient client;
  static Operator operator;
  static S3Client s3;
  static final MovableClock clock = new MovableClock();

  @BeforeAll
  static void setUp() throws Exception {
    String endpoint = LocalMoto.endpoint();
    s3 =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(endpoint))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    s3.createBucket(b -> b.bucket(LOCKED).objectLockEnabledForBucket(true));
    s3.createBucket(b -> b.bucket(UNLOCKED));
    PromotionTestSupport.installCrdsAndNamespaces(client, NS);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-archive")
                .withNamespace(PromotionTestSupport.SYSTEM)
                .endMetadata()
                .addToStringData("accessKeyId", "test")
                .addToStringData("secretAccessKey", "test")
                .build())
        .serverSideApply();
    client
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: stellaops.io/v1alpha1
                kind: IlmClass
                metadata: {name: compliance}
                spec:
                  retention: 1d
                  default: true
                  appliesTo: [EvidencePacket, DecisionRecord, Promotion]
                  onExpiry: Archive
                  s3:
                    bucket: %2$s
                    prefix: stella/
                    endpoint: %1$s
                    credentialsSecret: s3-archive
                    objectLock: {mode: COMPLIANCE, retention: 7y}
                ---
                apiVersion: stellaops.io/v1alpha1
                kind: IlmClass
                metadata: {name: unlocked}
                spec:
                  retention: 1d
                  appliesTo: [EvidencePacket]
                  onExpiry: Archive
                  s3:
                    bucket: %3$s
                    endpoint: %1$s
                    credentialsSecret: s3-archive
                    objectLock: {mode: COMPLIANCE, retention: 7y}
                ---
                apiVersion: stellaops.io/v1alpha1
                kind: IlmClass
                metadata: {name: no-credentials}
                spec:
                  retention: 1d
                  appliesTo: [EvidencePacket]
                  onExpiry: Archive
                  s3: {bucket: %2$s, endpoint: %1$s, credentialsSecret: missing}
                """
                    .formatted(endpoint, LOCKED, UNLOCKED)
                    .getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    PromotionTestSupport.apply(
        client,
        NS,
        """
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: stage}
        spec: {upstream: {environments: [dev]}}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: lab}
        spec: {upstream: {environments: [dev]}, ilmClass: unlocked}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Environment
        metadata: {name: sandbox}
        spec: {upstream: {environments: [dev]}, ilmClass: no-credentials}
        ---
        apiVersion: stellaops.io/v1alpha1
        kind: Release
        metadata: {name: r1}
        spec:
          version: 1.0.0
          components: [{name: api, image: registry.example.com/shop/api, digest: %s}]
        """
            .formatted(D1));
    operator = PromotionTestSupport.startOperatorWithLifecycle(client, clock);
  }

  @AfterAll
  static void tearDown() {
    operator.stop();
    s3.close();
  }

  static EvidencePacket packet(String name) {
    return client.resources(EvidencePacket.class).inNamespace(NS).withName(name).get();
  }

  static Condition stalled(String ilmClass) {
    IlmClass cls = client.resources(IlmClass.class).withName(ilmClass).get();
    return cls.getStatus() == null
        ? null
        : cls.getStatus().getConditions().stream()
            .filter(c -> c.type().equals("Stalled") && c.status() == Condition.Status.TRUE)
            .findFirst()
            .orElse(null);
  }

  @Test
  void archivesUnderObjectLockThatTheServerEnforces() throws Exception {
    // r1 never ran in dev: each promotion is denied, leaving evidence that explains nothing
    for (String env : new String[] {"stage", "lab", "sandbox"}) {
      PromotionTestSupport.promote(client, NS, "r1-to-" + env, "r1", env);
      PromotionTestSupport.awaitPhase(client, NS, "r1-to-" + env, Phase.Denied);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> packet("r1-to-stage").getMetadata().getFinalizers() != null);
    EvidencePacketSpec spec = packet("r1-to-stage").getSpec();
    Instant archivedAfter = clock.instant().plus(Duration.ofDays(2));
    clock.advance(Duration.ofDays(2));

    await().atMost(Duration.ofSeconds(40)).until(() -> packet("r1-to-stage") == null);
    String key = "stella/vault.EvidencePacket.r1-to-stage.tar";
    ObjectVersion version =
        s3.listObjectVersions(b -> b.bucket(LOCKED).prefix(key)).versions().stream()
            .filter(v -> v.key().equals(key))
            .reduce((a, b) -> {
              throw new AssertionError("archived twice: " + a + ", " + b);
            })
            .orElseThrow();
    // as HeadObject reports it (moto does not implement GetObjectRetention)
    var head = s3.headObject(b -> b.bucket(LOCKED).key(key).versionId(version.versionId()));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    assertThat(head.objectLockRetainUntilDate())
        .isAfter(archivedAfter.plus(Duration.ofDays(7 * 365 - 1)));

    Bundle bundle =
        Bundle.read(
            s3.getObjectAsBytes(b -> b.bucket(LOCKED).key(key).versionId(version.versionId()))
                .asByteArray());
    EvidencePacketSpec archived =
        CanonicalJson.MAPPER.readValue(
            bundle.files().get("evidence/packet.json"), EvidencePacketSpec.class);
    assertThat(archived).isEqualTo(spec);
    var verified =
        EvidenceVerifier.verify(
            archived,
            PemKeys.parsePublicKey(
                new String(bundle.files().get("evidence/cosign.pub"), StandardCharsets.UTF_8)));
    assertThat(verified.ok()).as(String.valueOf(verified.problems())).isTrue();
    // the run's purge log is written beside the archives when the run ends
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            !s3.listObjectsV2(b -> b.bucket(LOCKED).prefix("stella/purge-log."))
                .contents()
                .isEmpty());

    // the server refuses to delete the locked version, with or without a governance bypass
    for (boolean bypass : new boolean[] {false, true}) {
      assertThatThrownBy(() ->
              s3.deleteObject(b ->
                  b.bucket(LOCKED)
                      .key(key)
                      .versionId(version.versionId())
                      .bypassGovernanceRetention(bypass)))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    assertThat(s3.getObjectAsBytes(b -> b.bucket(LOCKED).key(key).versionId(version.versionId())))
        .isNotNull();

    // a bucket without Object Lock refuses lock headers; a missing Secret is named
    await().atMost(Duration.ofSeconds(30)).until(() -> stalled("unlocked") != null);
    assertThat(stalled("unlocked").message()).contains("s3://" + UNLOCKED);
    await().atMost(Duration.ofSeconds(30)).until(() -> stalled("no-credentials") != null);
    assertThat(stalled("no-credentials").message())
        .contains("Secret " + PromotionTestSupport.SYSTEM + "/missing does not exist");
    assertThat(packet("r1-to-lab")).as("nothing deleted without its archive").isNotNull();
    assertThat(packet("r1-to-sandbox")).isNotNull();
    assertThat(s3.listObjectVersions(b -> b.bucket(UNLOCKED)).versions()).isEmpty();
  }
}
