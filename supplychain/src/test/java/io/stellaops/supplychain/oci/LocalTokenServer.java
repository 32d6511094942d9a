package io.stellaops.supplychain.oci;

import com.sun.net.httpserver.HttpServer;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A token endpoint as the distribution spec's Bearer flow has one (Docker Hub, Harbor, GitLab):
 * Basic credentials in, a JWT out, signed ES256 by a self-signed certificate the registry trusts
 * ({@code auth.token.rootcertbundle}), carried in the {@code x5c} header, granting what the scope
 * asked. Hand-written for tests: no token server is packaged here. Counts the tokens it issued.
 */
public final class LocalTokenServer implements AutoCloseable {
  public static final String SERVICE = "stella-test";
  public static final String ISSUER = "stella-test-issuer";

  private final HttpServer server;
  private final KeyPair key;
  private final X509Certificate certificate;
  private final Path rootCertBundle;
  private final AtomicLong issued = new AtomicLong();

  private LocalTokenServer(String user, String password) throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    key = generator.generateKeyPair();
    X500Name name = new X500Name("CN=stella-test token signer");
    Instant now = Instant.now();
    certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    rootCertBundle = Files.createTempFile("token-root", ".pem");
    Files.writeString(
        rootCertBundle,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          try (exchange) {
            if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
              exchange.sendResponseHeaders(401, -1);
              return;
            }
            String scope = null;
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
              if (param.startsWith("scope=")) {
                scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
              }
            }
            byte[] body =
                CanonicalJson.bytes(Map.of("token", token(user, scope), "expires_in", 300));
            issued.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (Exception e) {
            throw new IOException(e);
          }
        });
    server.start();
  }

  /** A token server that answers {@code user} with {@code password}, on a loopback port. */
  public static LocalTokenServer start(String user, String password) throws Exception {
    return new LocalTokenServer(user, password);
  }

  /** A JWT granting {@code scope} ({@code repository:<name>:<actions>}) to {@code user}. */
  private String token(String user, String scope) throws Exception {
    List<Map<String, Object>> access = new ArrayList<>();
    if (scope != null) {
      String[] parts = scope.split(":");
      access.add(
          Map.of("type", parts[0], "name", parts[1], "actions", List.of(parts[2].split(","))));
    }
    long now = Instant.now().getEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", user);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    var url = Base64.getUrlEncoder().withoutPadding();
    String signed =
        url.encodeToString(CanonicalJson.bytes(header))
            + "."
            + url.encodeToString(CanonicalJson.bytes(claims));
    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format"); // JWS wants r || s
    ecdsa.initSign(key.getPrivate());
    ecdsa.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + url.encodeToString(ecdsa.sign());
  }

  /** Where the registry finds it: {@code http://127.0.0.1:<port>/token}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The certificate bundle the registry trusts tokens by. */
  public Path rootCertBundle() {
    return rootCertBundle;
  }

  /** Tokens issued so far. */
  public long issued() {
    return issued.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
