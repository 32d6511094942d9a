package io.stellaops.supplychain.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PemKeysTest {
  // Written by `openssl ec -pubout` for the docs/examples TrustPolicy.
  private static final String OPENSSL_P256 =
      """
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeWG70LqgKbeYsBRiQ9etE6/C0i6+
      Sgfnqkkn4wgFhnOY9RFtbdSRR0fow8hMzQ4HK81yY/v7uckDz4GMRYeFMQ==
      -----END PUBLIC KEY-----
      """;

  @Test
  void readsAnOpensslPublicKey() {
    var key = PemKeys.parsePublicKey(OPENSSL_P256);
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    assertThat(PemKeys.publicKeyPem(key)).isEqualTo(OPENSSL_P256);
  }

  @Test
  void roundTripsAGeneratedKeyPair() {
    var pair = PemKeys.generateP256();
    assertThat(PemKeys.parsePrivateKey(PemKeys.privateKeyPem(pair.getPrivate())))
        .isEqualTo(pair.getPrivate());
    assertThat(PemKeys.parsePublicKey(PemKeys.publicKeyPem(pair.getPublic())))
        .isEqualTo(pair.getPublic());
    assertThat(PemKeys.keyId(pair.getPublic())).hasSize(64);
  }

  @Test
  void explainsWhatIsNotAPublicKey() {
    assertThatThrownBy(() -> PemKeys.parsePublicKey("ssh-ed25519 AAAA..."))
        .hasMessageContaining("expected -----BEGIN PUBLIC KEY-----");
  }
}
