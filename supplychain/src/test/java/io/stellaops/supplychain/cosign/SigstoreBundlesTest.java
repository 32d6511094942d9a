package io.stellaops.supplychain.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bundles as {@code cosign --new-bundle-format} lays them out, with a genuine DSSE signature by the
 * trusted key over what an attacker chose to sign: refused before the signer is even asked when the
 * envelope is not in-toto or the bundle does not say one thing.
 */
class SigstoreBundlesTest {
  static final KeyPair KEY = PemKeys.generateP256();
  static final String DIGEST = Sha256.digest("image".getBytes(StandardCharsets.UTF_8));

  static String statement() {
    return "{\"_type\": \"https://in-toto.io/Statement/v1\", \"predicateType\": \""
        + SigstoreBundles.SIGN_PREDICATE
        + "\", \"subject\": [{\"digest\": {\"sha256\": \""
        + Sha256.hexOf(DIGEST)
        + "\"}}], \"predicate\": {}}";
  }

  static byte[] bundle(String payloadType, String extra) throws Exception {
    var envelope =
        Dsse.sign(payloadType, statement().getBytes(StandardCharsets.UTF_8), KEY.getPrivate(), "");
    String json =
        "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\","
            + " \"verificationMaterial\": {\"publicKey\": {\"hint\": \"x\"}},"
            + extra
            + " \"dsseEnvelope\": "
            + new String(CanonicalJson.MAPPER.writeValueAsBytes(envelope), StandardCharsets.UTF_8)
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> problems(byte[] bundle) {
    Refusals problems = new Refusals();
    var statement =
        SigstoreBundles.statement(
            SigstoreBundles.parse(bundle, "sha256:b"),
            DIGEST,
            Signer.key(KEY.getPublic()),
            SigstoreBundles.SIGN_PREDICATE,
            problems);
    assertThat(statement.isPresent()).isEqualTo(problems.isEmpty());
    return problems;
  }

  @Test
  void acceptsAnInTotoBundleByTheKey() throws Exception {
    assertThat(problems(bundle("application/vnd.in-toto+json", ""))).isEmpty();
  }

  @Test
  void refusesAnEnvelopeOfAnotherPayloadType() throws Exception {
    assertThat(problems(bundle("text/plain", "")))
        .containsExactly("a bundle has payloadType text/plain, not application/vnd.in-toto+json");
  }

  @Test
  void refusesABundleThatRepeatsAKey() throws Exception {
    byte[] twice = bundle("application/vnd.in-toto+json", " \"DsseEnvelope\": {},");
    assertThat(problems(twice))
        .singleElement()
        .asString()
        .startsWith("a bundle repeats the key \"DsseEnvelope\" as \"dsseEnvelope\"");
  }
}
