package io.stellaops.supplychain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.stellaops.supplychain.cosign.AttestedStatements;
import io.stellaops.supplychain.digest.ByDigest;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.util.Optional;
import java.util.Set;

/**
 * What a SLSA provenance attestation says about a build, the fields a gate decides on: who built it
 * (builder id), how (build type), and from which source (repository, ref and commit). Read from v1
 * ({@code cosign attest --type slsaprovenance1}) and v0.2 ({@code --type slsaprovenance02})
 * predicates. The source is where the build definition says: GitHub Actions' {@code
 * externalParameters.workflow} (repository and ref), else the first git dependency ({@code
 * git+https://host/org/repo@refs/heads/main}).
 *
 * @param predicateType the predicate type that was verified
 * @param sourceDigest the commit, as {@code gitCommit:<hex>} or {@code sha1:<hex>}
 */
public record SlsaProvenance(
    String predicateType,
    String builderId,
    String buildType,
    String sourceRepository,
    String sourceRef,
    String sourceDigest) {
  public static final String V1 = "https://slsa.dev/provenance/v1";
  public static final String V02 = "https://slsa.dev/provenance/v0.2";
  private static final Set<String> TYPES = Set.of(V1, V02);

  /** Whether {@code predicateType} is SLSA provenance this reader understands. */
  public static boolean isProvenance(String predicateType) {
    return TYPES.contains(predicateType);
  }

  /**
   * The provenance in {@code predicate}.
   *
   * @throws IllegalArgumentException when it names no builder: provenance without one says nothing
   */
  public static SlsaProvenance of(String predicateType, JsonNode predicate) {
    boolean v1 = V1.equals(predicateType);
    String builder =
        text(v1 ? predicate.at("/runDetails/builder/id") : predicate.at("/builder/id"));
    if (builder == null) {
      throw new IllegalArgumentException(
          "the provenance names no builder ("
              + (v1 ? "runDetails.builder.id" : "builder.id")
              + ")");
    }
    String buildType =
        text(v1 ? predicate.at("/buildDefinition/buildType") : predicate.path("buildType"));
    String repository = null;
    String ref = null;
    String digest = null;
    if (v1) {
      JsonNode workflow = predicate.at("/buildDefinition/externalParameters/workflow");
      repository = text(workflow.path("repository"));
      ref = text(workflow.path("ref"));
      for (JsonNode dependency : predicate.at("/buildDefinition/resolvedDependencies")) {
        String[] source = gitSource(text(dependency.path("uri")));
        if (source != null) {
          repository = repository != null ? repository : source[0];
          ref = ref != null ? ref : source[1];
          digest = commit(dependency.path("digest"));
          break;
        }
      }
    } else {
      JsonNode config = predicate.at("/invocation/configSource");
      String[] source = gitSource(text(config.path("uri")));
      if (source == null) {
        for (JsonNode material : predicate.path("materials")) {
          source = gitSource(text(material.path("uri")));
          if (source != null) {
            config = material;
            break;
          }
        }
      }
      if (source != null) {
        repository = source[0];
        ref = source[1];
        digest = commit(config.path("digest"));
      }
    }
    return new SlsaProvenance(predicateType, builder, buildType, repository, ref, digest);
  }

  /** {@code git+https://github.com/org/repo@refs/heads/main} → repository and ref; else null. */
  private static String[] gitSource(String uri) {
    if (uri == null || !uri.startsWith("git+")) {
      return null;
    }
    String rest = uri.substring(4);
    // the ref follows the path (and may hold slashes); an '@' before the path is user info
    int scheme = rest.indexOf("://");
    int path = rest.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    int at = path < 0 ? -1 : rest.indexOf('@', path);
    return at < 0
        ? new String[] {rest, null}
        : new String[] {rest.substring(0, at), rest.substring(at + 1)};
  }

  private static String commit(JsonNode digests) {
    for (String algorithm : new String[] {"gitCommit", "sha1", "sha256"}) {
      String value = text(digests.path(algorithm));
      if (value != null) {
        return algorithm + ":" + value;
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /**
   * Provenance attestations already verified, read by the digest of their envelope or bundle, once
   * per digest.
   */
  public static final class Reader {
    private final RegistryClient registry;
    private final ByDigest<SlsaProvenance> read = new ByDigest<>(2_000);

    public Reader(RegistryClient registry) {
      this.registry = registry;
    }

    /**
     * The provenance in {@code envelopeDigest} of {@code image}.
     *
     * @throws IllegalArgumentException naming the attestation and what is wrong with it
     */
    public SlsaProvenance read(
        String image,
        String envelopeDigest,
        String predicateType,
        Optional<RegistryClient.Credentials> credentials) {
      return read.get(
          envelopeDigest,
          () -> {
            try {
              JsonNode statement =
                  AttestedStatements.read(registry, image, envelopeDigest, credentials);
              return of(predicateType, Statement.predicate(statement));
            } catch (SignedJson.Rejected e) {
              throw new IllegalArgumentException(
                  "the provenance attestation " + envelopeDigest + " " + e.getMessage());
            } catch (RegistryException e) {
              throw new IllegalArgumentException(
                  "the provenance attestation cannot be read: " + e.getMessage());
            }
          });
    }
  }
}
