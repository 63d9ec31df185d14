package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RFC 7009 revocation against a stub: order, hints, client authentication and the outcome of each token. */
class RevocationTest {

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());
    private ProviderClient client;
    private Secret refreshToken;
    private Secret accessToken;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .revokeEndpoint(server.url("/revoke").toString())
                .json() // the token endpoint's content type; revocation stays form-urlencoded per RFC 7009
                .clientSecret(leaks.secret("revocation-secret"))
                .client();
        refreshToken = Secret.of(leaks.secret("rt-to-revoke"));
        accessToken = Secret.of(leaks.secret("at-to-revoke"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    @Test
    void refreshTokenIsRevokedFirstThenTheAccessTokenEachWithItsHintAndClientAuthentication() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(204).build());

        RevocationResult result = leaks.shown(exchange.revoke(client, refreshToken, accessToken));

        assertThat(result).isEqualTo(new RevocationResult(RevocationOutcome.REVOKED, RevocationOutcome.REVOKED));
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/revoke");
        assertThat(first.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> firstForm =
                TokenRequestEncodingTest.form(first.getBody().utf8());
        Map<String, String> secondForm =
                TokenRequestEncodingTest.form(second.getBody().utf8());
        assertThat(firstForm)
                .containsEntry("token", "rt-to-revoke")
                .containsEntry("token_type_hint", "refresh_token")
                .containsEntry("client_id", "latchkey-client")
                .containsEntry("client_secret", "revocation-secret");
        assertThat(secondForm)
                .containsEntry("token", "at-to-revoke")
                .containsEntry("token_type_hint", "access_token")
                .containsEntry("client_secret", "revocation-secret");
    }

    @Test
    void eachTokenHasItsOwnOutcome() {
        server.enqueue(Stub.json(400, "{\"error\":\"unsupported_token_type\"}"));
        server.enqueue(new MockResponse.Builder().code(503).body("down").build());

        RevocationResult result = leaks.shown(exchange.revoke(client, refreshToken, accessToken));

        assertThat(result).isEqualTo(new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.FAILED));
    }

    @Test
    void anUnreachableRevocationEndpointFailsBothWithoutThrowing() {
        server.close();

        RevocationResult result = leaks.shown(exchange.revoke(client, refreshToken, accessToken));

        assertThat(result).isEqualTo(new RevocationResult(RevocationOutcome.FAILED, RevocationOutcome.FAILED));
    }

    @Test
    void aMissingTokenIsUnsupportedAndNotSent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());

        RevocationResult result = leaks.shown(exchange.revoke(client, null, accessToken));

        assertThat(result).isEqualTo(new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.REVOKED));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(TokenRequestEncodingTest.form(server.takeRequest().getBody().utf8()))
                .containsEntry("token_type_hint", "access_token");
    }

    @Test
    void withoutARevokeEndpointBothAreUnsupportedAndNothingIsSent() {
        ProviderClient noRevocation = provider()
                .tokenEndpoint(server.url("/token").toString())
                .clientSecret("revocation-secret")
                .client();

        RevocationResult result = leaks.shown(exchange.revoke(noRevocation, refreshToken, accessToken));

        assertThat(result)
                .isEqualTo(new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED));
        assertThat(server.getRequestCount()).isZero();
    }
}
