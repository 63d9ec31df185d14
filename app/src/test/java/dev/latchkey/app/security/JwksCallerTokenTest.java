package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** RS256 caller tokens with keys from a real issuer's JWK set (mock-oauth2-server), beside or without HS256. */
class JwksCallerTokenTest {

    private static final String ISSUER_ID = "callers";
    private static final String AUDIENCE = "latchkey";

    private static final MockOAuth2Server issuer = new MockOAuth2Server();

    @BeforeAll
    static void startIssuer() {
        issuer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.shutdown();
    }

    private static JwtDecoder decoder(Optional<byte[]> secret) {
        return CallerTokenDecoder.create(
                new CallerTokenProperties(
                        issuer.issuerUrl(ISSUER_ID).toString(), AUDIENCE, Duration.ofSeconds(2), Duration.ofSeconds(3)),
                secret,
                Optional.of(issuer.jwksUrl(ISSUER_ID).toString()),
                Clock.systemUTC());
    }

    private static String issuersToken() {
        return issuer.issueToken(ISSUER_ID, "alice", AUDIENCE, Map.of("wid", "ws-1", "scope", "connections:read"))
                .serialize();
    }

    @Test
    void anRs256TokenSignedByTheIssuersKeysIsAccepted() {
        assertThat(decoder(Optional.empty()).decode(issuersToken()).getClaimAsString("wid"))
                .isEqualTo("ws-1");
    }

    @Test
    void anRs256TokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer.issuerUrl(ISSUER_ID).toString())
                        .audience(AUDIENCE)
                        .subject("mallory")
                        .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build());
        jwt.sign(new RSASSASigner(stranger));

        assertThatThrownBy(() -> decoder(Optional.empty()).decode(jwt.serialize()))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void anHs256TokenIsRefusedWhenNoSecretIsConfigured() {
        String token = hs256TokenForTheIssuer();

        assertThatThrownBy(() -> decoder(Optional.empty()).decode(token)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void withASecretConfiguredHs256TokensAreAcceptedBesideTheIssuers() {
        JwtDecoder decoder = decoder(Optional.of(TestTokens.SECRET));

        assertThat(decoder.decode(hs256TokenForTheIssuer()).getSubject()).isEqualTo("alice");
        assertThat(decoder.decode(issuersToken()).getSubject()).isEqualTo("alice");
    }

    @Test
    void anHs256TokenIsStillHeldToTheIssuerAndAudience() {
        String token = TestTokens.validAt(Instant.now()).claim("aud", AUDIENCE).hs256();

        assertThatThrownBy(() -> decoder(Optional.of(TestTokens.SECRET)).decode(token))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void aJwkSetThatNeverAnswersFailsTheCallWithinTheReadTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/jwks", exchange -> {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            JwtDecoder decoder = CallerTokenDecoder.create(
                    new CallerTokenProperties(null, null, Duration.ofMillis(500), Duration.ofMillis(500)),
                    Optional.empty(),
                    Optional.of("http://127.0.0.1:" + silent.getAddress().getPort() + "/jwks"),
                    Clock.systemUTC());

            assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> assertThatThrownBy(() -> decoder.decode(issuersToken()))
                            .isInstanceOf(JwtException.class));
        } finally {
            released.countDown();
            silent.stop(0);
        }
    }

    private static String hs256TokenForTheIssuer() {
        return TestTokens.validAt(Instant.now())
                .claim("iss", issuer.issuerUrl(ISSUER_ID).toString())
                .claim("aud", AUDIENCE)
                .hs256();
    }
}
