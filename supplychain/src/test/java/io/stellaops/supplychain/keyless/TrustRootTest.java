package io.stellaops.supplychain.keyless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.crds.common.SecretKeyRef;
import io.stellaops.crds.trustpolicy.KeylessAuthority;
import io.stellaops.supplychain.cosign.LocalSigstore;
import io.stellaops.supplychain.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trust roots and keyless identities that cannot work are refused with what is wrong. */
class TrustRootTest {
  static LocalSigstore sigstore;

  @BeforeAll
  static void start() throws Exception {
    sigstore = LocalSigstore.start("trust-root-test");
  }

  @AfterAll
  static void stop() {
    sigstore.close();
  }

  static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
    var root = (ObjectNode) CanonicalJson.MAPPER.readTree(sigstore.trustedRoot());
    edit.accept(root);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTrustedRootLoadsOnceAndIsKnownByItsDigest() throws Exception {
    byte[] json = sigstore.trustedRoot().getBytes(StandardCharsets.UTF_8);
    TrustRoot root = TrustRoot.parse(json);
    assertThat(root.digest()).startsWith("sha256:");
    assertThat(TrustRoot.parse(json)).isSameAs(root);
    assertThat(root.tlogs()).hasSize(1);
  }

  @Test
  void brokenTrustRootsAreRefusedWithTheReason() throws Exception {
    assertThatThrownBy(() -> TrustRoot.parse("not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("not a Sigstore trusted root");
    assertThatThrownBy(() -> TrustRoot.parse(edited(r -> r.put("mediaType", "text/plain"))))
        .hasMessageContaining("Unsupported trusted root mediaType");
    assertThatThrownBy(() -> TrustRoot.parse(edited(r -> r.putArray("ctlogs"))))
        .hasMessage("the trusted root lists no ctlogs: certificate SCTs cannot be checked");
    assertThatThrownBy(() -> TrustRoot.parse(edited(r -> r.putArray("tlogs"))))
        .hasMessage("the trusted root lists no tlogs: signing times cannot be proven");
    assertThatThrownBy(() -> TrustRoot.parse(edited(r -> r.putArray("certificateAuthorities"))))
        .hasMessage("the trusted root lists no certificateAuthorities");
    assertThatThrownBy(() ->
            TrustRoot.parse(
                edited(r ->
                    ((ObjectNode) r.at("/certificateAuthorities/0/certChain/certificates/0"))
                        .put("rawBytes", "AAAA"))))
        .hasMessageStartingWith("not a Sigstore trusted root: Could not parse certificate");
  }

  @Test
  void anIdentityNeedsOneIssuerAndOneSubjectWithValidExpressions() throws Exception {
    TrustRoot root = TrustRoot.parse(sigstore.trustedRoot().getBytes(StandardCharsets.UTF_8));
    var ref = new SecretKeyRef("ns", "root", null);
    assertThatThrownBy(
            () -> KeylessSigner.of(root, new KeylessAuthority(null, "(", "a@b", null, ref)))
        .hasMessageStartingWith("issuerRegExp is not a valid RE2 expression");
    assertThatThrownBy(
            () -> KeylessSigner.of(root, new KeylessAuthority("i", null, null, null, ref)))
        .hasMessageContaining("exactly one of issuer or issuerRegExp");
    assertThat(
            KeylessSigner.of(root, new KeylessAuthority("i", null, null, "^ci@", ref)).describe())
        .isEqualTo("keyless /^ci@/ from i");
  }
}
