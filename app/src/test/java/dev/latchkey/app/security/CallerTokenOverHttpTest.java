package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.app.LatchkeySpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code /v1} answers to the caller tokens of API.md "Callers: tightened", on the shared test context. */
class CallerTokenOverHttpTest extends LatchkeySpringTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private static TestTokens auditReader() {
        return TestTokens.validAt(Instant.now())
                .claim("wid", "ws-caller-tokens")
                .claim("scope", "audit:read");
    }

    @Test
    void aWellFormedTokenIsAccepted() throws Exception {
        assertThat(events(auditReader().hs256()).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutExpiryAnswers401AsProblem() throws Exception {
        HttpResponse<String> response = events(auditReader().without("exp").hs256());

        assertUnauthorizedProblem(response);
    }

    @Test
    void aTokenExpiredLongerAgoThanTheClockSkewAnswers401() throws Exception {
        String token = auditReader()
                .expiresAt(Instant.now().minus(Duration.ofSeconds(90)))
                .hs256();

        assertUnauthorizedProblem(events(token));
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsAccepted() throws Exception {
        String token = auditReader()
                .expiresAt(Instant.now().minus(Duration.ofSeconds(30)))
                .hs256();

        assertThat(events(token).statusCode()).isEqualTo(200);
    }

    @Test
    void scopesMayComeAsAnScpArray() throws Exception {
        String token = auditReader()
                .without("scope")
                .claim("scp", List.of("audit:read"))
                .hs256();

        assertThat(events(token).statusCode()).isEqualTo(200);
    }

    @Test
    void scopeAndScpTogetherAreOneUnion() throws Exception {
        String token = auditReader()
                .claim("scope", "connections:read")
                .claim("scp", "audit:read")
                .hs256();

        assertThat(events(token).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "wid", "uwid", "app"})
    void aClaimLongerThan255CharactersAnswers401AsProblem(String claim) throws Exception {
        String token = auditReader().claim(claim, "x".repeat(256)).hs256();

        assertUnauthorizedProblem(events(token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "wid", "uwid", "app"})
    void aClaimWithAControlCharacterAnswers401AsProblem(String claim) throws Exception {
        String token = auditReader().claim(claim, "ws\u0000one").hs256();

        assertUnauthorizedProblem(events(token));
    }

    @Test
    void aWorkspaceOf255CharactersIsAccepted() throws Exception {
        String token = auditReader().claim("wid", "w".repeat(255)).hs256();

        assertThat(events(token).statusCode()).isEqualTo(200);
    }

    private static void assertUnauthorizedProblem(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":401").contains("/problems/unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(
                        value -> assertThat(value).startsWith("Bearer").doesNotContain("xxxx"));
    }

    private HttpResponse<String> events(String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(PUBLIC_URL + "/v1/events?limit=1"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
