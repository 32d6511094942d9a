package io.stellaops.supplychain.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.DsseVerificationException;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.intoto.Statement;
import io.stellaops.supplychain.json.CelValues;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.oci.OciReader;
import io.stellaops.supplychain.oci.RegistryClient;
import io.stellaops.supplychain.oci.RegistryException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies attestations {@code cosign attest} (with a key or keyless) stored beside an image: the
 * OCI manifest tagged {@code sha256-<hex>.att}, each layer a DSSE envelope of an in-toto Statement,
 * or, with {@code --new-bundle-format}, Sigstore bundles among the image's referrers. An
 * attestation counts when it is signed by the authority's {@link Signer}, the statement's subject
 * is the image digest, the predicate type is the one required, and the optional CEL condition over
 * {@code predicate} holds. Offline apart from the registry. The tag layout is hand-written for the
 * same reason as {@link CosignSignatureVerifier}: sigstore-java reads bundles, not this registry
 * layout.
 */
public final class CosignAttestationVerifier {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(CelExtensions.strings(), CelExtensions.lists())
          .addVar("predicate", SimpleType.DYN)
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .addLibraries(CelExtensions.strings(), CelExtensions.lists())
          .build();

  private final OciReader registry;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  public CosignAttestationVerifier(OciReader registry) {
    this.registry = registry;
  }

  /**
   * The outcome for one requirement.
   *
   * @param envelopeDigest digest of the DSSE envelope that satisfied it (e.g. the SBOM attestation)
   */
  public record Verdict(boolean verified, String reason, String envelopeDigest) {}

  /** Null when {@code condition} compiles, else the compiler's message. */
  public static String compileError(String condition) {
    try {
      COMPILER.compile(condition).getAst();
      return null;
    } catch (CelValidationException e) {
      return e.getMessage().strip().lines().findFirst().orElse("");
    }
  }

  public Verdict verify(
      String image,
      String digest,
      Signer signer,
      String predicateType,
      String condition,
      Optional<RegistryClient.Credentials> credentials) {
    String where = image + "@" + digest;
    Refusals problems = new Refusals();
    String tagAnswer = null;
    try {
      JsonNode manifest = CosignTags.manifest(registry, image, digest, "att", credentials);
      String envelopeDigest =
          attestedInLayers(
              manifest, image, digest, signer, predicateType, condition, credentials, problems);
      if (envelopeDigest != null) {
        return new Verdict(
            true,
            where + ": " + predicateType + " attested by " + signer.describe(),
            envelopeDigest);
      }
    } catch (CosignTags.Unreadable e) {
      tagAnswer = e.getMessage();
    }
    SigstoreBundles.Listing bundles =
        SigstoreBundles.find(registry, image, digest, predicateType, credentials);
    problems.addAll(bundles.problems());
    for (SigstoreBundles.Found bundle : bundles.bundles()) {
      var statement = SigstoreBundles.statement(bundle, digest, signer, predicateType, problems);
      if (statement.isPresent() && holds(condition, statement.get(), problems)) {
        return new Verdict(
            true,
            where
                + ": "
                + predicateType
                + " attested by "
                + signer.describe()
                + " (Sigstore bundle)",
            bundle.digest());
      }
    }
    if (tagAnswer != null && problems.isEmpty()) {
      return new Verdict(
          false,
          where
              + ": no attestation found (looked for "
              + tagAnswer
              + "; no Sigstore bundle of "
              + predicateType
              + " among its referrers, "
              + bundles.source()
              + ")",
          null);
    }
    return new Verdict(
        false,
        where
            + ": no "
            + predicateType
            + " attestation verifies"
            + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"),
        null);
  }

  /**
   * The digest of the DSSE layer of the {@code .att} manifest that attests {@code predicateType} by
   * {@code signer} and satisfies {@code condition}, else null.
   */
  private String attestedInLayers(
      JsonNode manifest,
      String image,
      String digest,
      Signer signer,
      String predicateType,
      String condition,
      Optional<RegistryClient.Credentials> credentials,
      List<String> problems) {
    for (JsonNode layer : CosignTags.layers(manifest, "attestation", problems)) {
      String layerDigest = layer.path("digest").asText();
      try {
        Envelope envelope = Envelope.parse(registry.blob(image, layerDigest, credentials));
        String why =
            signer.check(
                layer.path("annotations"),
                new Signer.Signed(
                    Signer.Kind.DSSE,
                    envelope.payloadBytes(),
                    envelope.signatures().stream().map(Envelope.Signature::sig).toList()),
                key -> signedWith(envelope, key));
        if (why != null) {
          problems.add("an attestation " + why);
          continue;
        }
        JsonNode statement = Statement.read(envelope);
        if (!predicateType.equals(Statement.predicateType(statement))) {
          continue; // another kind of attestation
        }
        if (!Statement.names(statement, digest)) {
          problems.add("a " + predicateType + " attestation names another subject");
          continue;
        }
        if (holds(condition, statement, problems)) {
          return layerDigest;
        }
      } catch (SignedJson.Rejected e) {
        problems.add("an attestation " + e.getMessage());
      } catch (RegistryException | IllegalArgumentException e) {
        problems.add("an attestation cannot be read: " + e.getMessage());
      }
    }
    return null;
  }

  /** Whether the optional condition holds for the statement's predicate; if not, says why. */
  private boolean holds(String condition, JsonNode statement, List<String> problems) {
    if (condition == null || condition.isBlank()) {
      return true;
    }
    String failed = evaluate(condition, Statement.predicate(statement));
    if (failed != null) {
      problems.add(failed);
      return false;
    }
    return true;
  }

  private static boolean signedWith(Envelope envelope, PublicKey key) {
    try {
      Dsse.verify(envelope, key);
      return true;
    } catch (DsseVerificationException e) {
      return false;
    }
  }

  /** Null when the condition holds, else why not. */
  private String evaluate(String condition, JsonNode predicate) {
    try {
      CelRuntime.Program program =
          programs.computeIfAbsent(
              condition,
              c -> {
                try {
                  return RUNTIME.createProgram(COMPILER.compile(c).getAst());
                } catch (CelValidationException | CelEvaluationException e) {
                  throw new IllegalArgumentException(e.getMessage().strip(), e);
                }
              });
      Object value = program.eval(Map.of("predicate", CelValues.tree(predicate)));
      return Boolean.TRUE.equals(value) ? null : "the condition `" + condition + "` is false";
    } catch (IllegalArgumentException e) {
      return "the condition `" + condition + "` does not compile: " + e.getMessage();
    } catch (CelEvaluationException e) {
      return "the condition `" + condition + "` failed: " + e.getMessage();
    }
  }
}
