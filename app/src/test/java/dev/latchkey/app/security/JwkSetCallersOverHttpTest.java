package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.testsupport.TestPostgres;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one extra application context of the security tests: {@code jwk-set-uri} pointing at a real issuer
 * (mock-oauth2-server, through a {@link JwkSetRelay} that can play unavailable), issuer and audience required, and no
 * {@code LATCHKEY_JWT_SECRET}. Closed after this class, so it does not keep running beside the shared context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwkSetCallersOverHttpTest {

    private static final String ISSUER_ID = "callers";
    private static final String AUDIENCE = "latchkey";
    private static final MockOAuth2Server issuer = startedIssuer();
    private static final JwkSetRelay relay =
            new JwkSetRelay(issuer.jwksUrl(ISSUER_ID).uri());

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private static MockOAuth2Server startedIssuer() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @AfterAll
    static void stopIssuer() {
        relay.stop();
        issuer.shutdown();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(LatchkeySpringTest.DATABASE));
        registry.add("spring.datasource.username", TestPostgres::username);
        registry.add("latchkey.master-keys", () -> LatchkeySpringTest.TEST_MASTER_KEYS);
        registry.add("latchkey.scheduled-refresh-interval", () -> "0s");
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", relay::uri);
        registry.add("latchkey.jwt.issuer", () -> issuer.issuerUrl(ISSUER_ID).toString());
        registry.add("latchkey.jwt.audience", () -> AUDIENCE);
    }

    private static String issuersToken(String audience) {
        return issuer.issueToken(ISSUER_ID, "alice", audience, Map.of("wid", "ws-jwks-callers", "scope", "audit:read"))
                .serialize();
    }

    @Test
    void anRs256TokenFromTheIssuerReachesTheApi() throws Exception {
        assertThat(events(issuersToken(AUDIENCE)).statusCode()).isEqualTo(200);
    }

    @Test
    void theIssuersTokenForAnotherAudienceAnswers401() throws Exception {
        HttpResponse<String> response = events(issuersToken("someone-else"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anHs256TokenAnswers401WhileNoSecretIsSet() throws Exception {
        String token = TestTokens.validAt(Instant.now())
                .claim("iss", issuer.issuerUrl(ISSUER_ID).toString())
                .claim("aud", AUDIENCE)
                .claim("wid", "ws-jwks-callers")
                .claim("scope", "audit:read")
                .hs256();

        assertThat(events(token).statusCode()).isEqualTo(401);
    }

    /** First, so that the JWK set has not been fetched yet (the decoder caches it for five minutes). */
    @Test
    @Order(1)
    void whileTheJwkSetCannotBeFetchedATokenAnswers503AsProblem() throws Exception {
        relay.unavailable(true);
        try {
            HttpResponse<String> response = events(issuersToken(AUDIENCE));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("/problems/issuer-unavailable");
        } finally {
            relay.unavailable(false);
        }
    }

    private HttpResponse<String> events(String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events?limit=1"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
