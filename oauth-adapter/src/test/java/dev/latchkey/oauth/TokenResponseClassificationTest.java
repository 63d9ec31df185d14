package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the adapter reads a token endpoint's answer, against a stub that answers what real servers will not. */
class TokenResponseClassificationTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange =
            new ScribeJavaProviderExchange(Stub.loopbackSettings(), Clock.fixed(NOW, ZoneOffset.UTC));
    private ProviderClient client;
    private Secret refreshToken;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .clientSecret(leaks.secret("classification-secret"))
                .client();
        refreshToken = Secret.of(leaks.secret("rt-classification"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    private ExchangeResult refreshAnswered(MockResponse answer) {
        server.enqueue(answer);
        return leaks.shown(exchange.refresh(client, refreshToken, List.of()));
    }

    @Test
    void tokenResponseGivesTokensExpiryScopesTypeAndKeepsExtraAndNestedFieldsInTheRawResponse() {
        String body = "{\"ok\":true,\"access_token\":\"" + leaks.secret("xoxb-access-1") + "\","
                + "\"token_type\":\"bot\",\"expires_in\":43200,\"refresh_token\":\"" + leaks.secret("xoxe-refresh-1")
                + "\",\"scope\":\"chat:write channels:read\",\"bot_user_id\":\"U0KRQLJ9H\","
                + "\"team\":{\"id\":\"T9TK3CUKW\",\"name\":\"Slack Softworks\"},"
                + "\"authed_user\":{\"id\":\"U1234\",\"access_token\":\"" + leaks.secret("xoxp-user-1") + "\"}}";

        ExchangeResult result = refreshAnswered(Stub.json(200, body));

        assertThat(result).isInstanceOf(TokenGrant.class);
        TokenGrant grant = (TokenGrant) result;
        assertThat(grant.accessToken().reveal()).isEqualTo("xoxb-access-1");
        assertThat(grant.refreshToken().reveal()).isEqualTo("xoxe-refresh-1");
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofHours(12));
        assertThat(grant.grantedScopes()).containsExactly("chat:write", "channels:read");
        assertThat(grant.tokenType()).isEqualTo("bot");
        var raw = Stub.parse(grant.rawResponse().utf8());
        assertThat(raw.at("/team/name").asText()).isEqualTo("Slack Softworks");
        assertThat(raw.at("/authed_user/access_token").asText()).isEqualTo("xoxp-user-1");
        assertThat(raw.path("bot_user_id").asText()).isEqualTo("U0KRQLJ9H");
    }

    @Test
    void expiresInIsReadAsANumberOrAString() {
        TokenGrant number = (TokenGrant) refreshAnswered(
                Stub.json(200, "{\"access_token\":\"" + leaks.secret("at-numeric-expiry") + "\",\"expires_in\":3600}"));
        TokenGrant string = (TokenGrant) refreshAnswered(Stub.json(
                200, "{\"access_token\":\"" + leaks.secret("at-string-expiry") + "\",\"expires_in\":\"7200\"}"));
        TokenGrant absent = (TokenGrant)
                refreshAnswered(Stub.json(200, "{\"access_token\":\"" + leaks.secret("at-absent-expiry") + "\"}"));

        assertThat(number.expiresIn()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(string.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(absent.expiresIn()).isNull();
        assertThat(absent.refreshToken()).isNull();
        assertThat(absent.grantedScopes()).isNull();
    }

    @Test
    void grantedScopesAreSplitOnTheProvidersSeparator() {
        client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .scopeSeparator(",")
                .clientSecret("classification-secret")
                .client();

        TokenGrant grant = (TokenGrant) refreshAnswered(Stub.json(
                200, "{\"access_token\":\"" + leaks.secret("at-github-scope") + "\",\"scope\":\"repo,user\"}"));

        assertThat(grant.grantedScopes()).containsExactly("repo", "user");
    }

    @Test
    void errorBodyWithStatus200IsAnErrorNotAToken() {
        ExchangeResult slack = refreshAnswered(Stub.json(200, "{\"ok\":false,\"error\":\"invalid_refresh_token\"}"));
        ExchangeResult github = refreshAnswered(Stub.json(
                200, "{\"error\":\"bad_verification_code\",\"error_description\":\"The code passed is incorrect\"}"));
        ExchangeResult errorBesideAToken = refreshAnswered(Stub.json(
                200, "{\"error\":\"invalid_grant\",\"access_token\":\"" + leaks.secret("at-ignored") + "\"}"));

        assertThat(slack).isEqualTo(new GrantRevoked("invalid_refresh_token"));
        assertThat(github).isEqualTo(new GrantRevoked("bad_verification_code"));
        assertThat(errorBesideAToken).isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void invalidGrantIsGrantRevoked() {
        assertThat(refreshAnswered(Stub.json(400, "{\"error\":\"invalid_grant\"}")))
                .isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void invalidOrUnauthorizedClientIsClientMisconfigured() {
        ExchangeResult invalid = refreshAnswered(Stub.json(401, "{\"error\":\"invalid_client\"}"));
        ExchangeResult unauthorized = refreshAnswered(Stub.json(400, "{\"error\":\"unauthorized_client\"}"));
        ExchangeResult bare401 = refreshAnswered(new MockResponse.Builder()
                .code(401)
                .addHeader("WWW-Authenticate", "Basic")
                .build());

        assertThat(invalid).isEqualTo(new ClientMisconfigured("invalid_client"));
        assertThat(unauthorized).isEqualTo(new ClientMisconfigured("unauthorized_client"));
        assertThat(bare401).isEqualTo(new ClientMisconfigured("http-401"));
    }

    @Test
    void htmlAnswerWithStatus200IsTransient() {
        ExchangeResult result = refreshAnswered(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/html")
                .body("<html><body>Sign in to continue " + leaks.secret("html-session-cookie") + "</body></html>")
                .build());

        assertThat(result).isEqualTo(new Transient("not-json", null));
    }

    @Test
    void serverErrorsAndRateLimitsAreTransientAndCarryRetryAfter() {
        ExchangeResult unavailable = refreshAnswered(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "120")
                .body("<html>Service Unavailable</html>")
                .build());
        ExchangeResult error = refreshAnswered(new MockResponse.Builder()
                .code(500)
                .addHeader("Retry-After", "Sun, 01 Mar 2026 10:05:00 GMT")
                .body("{\"error\":\"server_error\"}")
                .build());
        ExchangeResult limited = refreshAnswered(
                new MockResponse.Builder().code(429).body("slow down").build());
        ExchangeResult temporarily = refreshAnswered(Stub.json(400, "{\"error\":\"temporarily_unavailable\"}"));

        assertThat(unavailable).isEqualTo(new Transient("http-503", Duration.ofMinutes(2)));
        assertThat(error).isEqualTo(new Transient("http-500", Duration.ofMinutes(5)));
        assertThat(limited).isEqualTo(new Transient("http-429", null));
        assertThat(temporarily).isEqualTo(new Transient("temporarily_unavailable", null));
    }

    @Test
    void aBodyWithoutAnAccessTokenIsTransient() {
        assertThat(refreshAnswered(Stub.json(200, "{\"token_type\":\"Bearer\"}")))
                .isEqualTo(new Transient("no-access-token", null));
        assertThat(refreshAnswered(Stub.json(200, "[\"access_token\"]"))).isEqualTo(new Transient("not-json", null));
    }

    @Test
    void anErrorFieldThatIsNoErrorCodeIsNeverEchoed() {
        String echoed = leaks.secret("refresh token rt-classification is not valid");

        ExchangeResult result = refreshAnswered(Stub.json(400, "{\"error\":\"" + echoed + "\"}"));

        assertThat(result).isInstanceOf(Transient.class);
        assertThat(((ExchangeFailure) result).reason()).isEqualTo("unrecognised-error");
    }

    @Test
    void failuresAreLoggedWithKindAndReasonOnly() {
        refreshAnswered(Stub.json(
                400,
                "{\"error\":\"invalid_grant\",\"error_description\":\""
                        + leaks.secret("grant rt-classification revoked at 10:00") + "\"}"));

        assertThat(leaks.capturedLogs())
                .anySatisfy(line -> assertThat(line)
                        .contains("refresh at", "failed", FailureKind.GRANT_REVOKED.wire(), "invalid_grant"));
    }
}
