package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import dev.latchkey.testsupport.TestAuthorizationServer;
import dev.latchkey.testsupport.TestAuthorizationServer.Client;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter against a real authorization server that enforces what the specifications say: PKCE S256 required,
 * client_secret_basic (URL-decoding the credentials), exact redirect URI, single-use codes, refresh-token rotation,
 * RFC 7009 revocation.
 */
class SpringAuthorizationServerExchangeTest {

    /** Its secret breaks unless form-encoded; its redirect URI is registered exactly and nothing listens there. */
    private static final Client CLIENT = Client.basic(
            "latchkey-client",
            "Tr1cky+S3cret%41/with/Slashes=",
            "http://127.0.0.1:9/apps/oauth/callback",
            "openid",
            "read",
            "write");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static TestAuthorizationServer server;
    private static ScribeJavaProviderExchange exchange;

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    @BeforeAll
    static void startServer() {
        server = TestAuthorizationServer.shared().register(CLIENT);
        exchange = new ScribeJavaProviderExchange(ProviderExchangeSettings.defaults()
                .withAllowInsecureLoopback(true)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void closeExchange() {
        exchange.close();
    }

    private ProviderClient client(String secret) {
        return TestProvider.provider()
                .authorizationEndpoint(server.url("/oauth2/authorize"))
                .tokenEndpoint(server.url("/oauth2/token"))
                .revokeEndpoint(server.url("/oauth2/revoke"))
                .userInfo(server.url("/userinfo"), "/sub")
                .scopes("openid", "read", "write")
                .basic()
                .usePkce(true)
                .clientId(CLIENT.id())
                .clientSecret(leaks.secret(secret))
                .redirectUri(CLIENT.redirectUri())
                .client();
    }

    private ProviderClient client() {
        return client(CLIENT.secret());
    }

    private Secret randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Secret.of(leaks.secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }

    /** The browser part of the code flow: consent URL, login, the code on the callback. */
    private Secret authorize(ProviderClient client, Secret verifier) {
        Secret state = randomSecret();
        URI consent = exchange.authorizationUrl(client, state, verifier);
        return Secret.of(leaks.secret(server.authorize(CLIENT, consent, state.reveal())));
    }

    private TokenGrant tokens(ExchangeResult result) {
        leaks.shown(result);
        assertThat(result).isInstanceOf(TokenGrant.class);
        TokenGrant grant = (TokenGrant) result;
        leaks.secret(grant.accessToken().reveal());
        if (grant.refreshToken() != null) {
            leaks.secret(grant.refreshToken().reveal());
        }
        String idToken = Stub.parse(grant.rawResponse().utf8()).path("id_token").asText();
        if (!idToken.isEmpty()) {
            leaks.secret(idToken);
        }
        return grant;
    }

    @Test
    void wholeCodeFlowWithPkceAndFormEncodedBasicCredentialsGivesTokensAndTheHandle() {
        ProviderClient client = client();
        Secret verifier = randomSecret();

        TokenGrant grant = tokens(exchange.exchangeCode(client, authorize(client, verifier), verifier));

        assertThat(grant.refreshToken()).isNotNull();
        assertThat(grant.tokenType()).isEqualTo("Bearer");
        assertThat(grant.expiresIn()).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
        assertThat(grant.grantedScopes()).containsExactlyInAnyOrder("openid", "read", "write");
        assertThat(Stub.parse(grant.rawResponse().utf8()).has("id_token")).isTrue();
        assertThat(server.isActive(grant.accessToken().reveal())).isTrue();
        assertThat(exchange.fetchHandle(client, grant.accessToken())).contains(TestAuthorizationServer.USERNAME);
    }

    @Test
    void refreshKeepsWorkingAfterRotationAndOldTokenIsRefused() {
        ProviderClient client = client();
        Secret verifier = randomSecret();
        TokenGrant first = tokens(exchange.exchangeCode(client, authorize(client, verifier), verifier));

        TokenGrant second = tokens(exchange.refresh(client, first.refreshToken(), List.of()));
        ExchangeResult withOldToken = leaks.shown(exchange.refresh(client, first.refreshToken(), List.of()));
        TokenGrant third = tokens(exchange.refresh(client, second.refreshToken(), List.of("read")));

        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(withOldToken).isEqualTo(new GrantRevoked("invalid_grant"));
        assertThat(third.refreshToken()).isNotEqualTo(second.refreshToken());
        assertThat(third.grantedScopes()).containsExactly("read");
    }

    @Test
    void revokedTokensAreInactiveAtIntrospection() {
        ProviderClient client = client();
        Secret verifier = randomSecret();
        TokenGrant grant = tokens(exchange.exchangeCode(client, authorize(client, verifier), verifier));
        assertThat(server.isActive(grant.refreshToken().reveal())).isTrue();

        RevocationResult result = leaks.shown(exchange.revoke(client, grant.refreshToken(), grant.accessToken()));

        assertThat(result).isEqualTo(new RevocationResult(RevocationOutcome.REVOKED, RevocationOutcome.REVOKED));
        assertThat(server.isActive(grant.refreshToken().reveal())).isFalse();
        assertThat(server.isActive(grant.accessToken().reveal())).isFalse();
        assertThat(leaks.shown(exchange.refresh(client, grant.refreshToken(), List.of())))
                .isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void aMissingVerifierIsGrantRevoked() {
        ProviderClient client = client();
        Secret code = authorize(client, randomSecret());

        assertThat(leaks.shown(exchange.exchangeCode(client, code, null))).isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void aWrongVerifierIsGrantRevoked() {
        ProviderClient client = client();
        Secret code = authorize(client, randomSecret());

        assertThat(leaks.shown(exchange.exchangeCode(client, code, randomSecret())))
                .isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void aCodeIsGoodForOneExchangeOnly() {
        ProviderClient client = client();
        Secret verifier = randomSecret();
        Secret code = authorize(client, verifier);
        tokens(exchange.exchangeCode(client, code, verifier));

        assertThat(leaks.shown(exchange.exchangeCode(client, code, verifier)))
                .isEqualTo(new GrantRevoked("invalid_grant"));
    }

    @Test
    void aWrongClientSecretIsClientMisconfigured() {
        ProviderClient client = client();
        Secret verifier = randomSecret();
        Secret code = authorize(client, verifier);
        ProviderClient wrongSecret = client("Tr1cky S3cret%41/with/Slashes=");

        assertThat(leaks.shown(exchange.exchangeCode(wrongSecret, code, verifier)))
                .isEqualTo(new ClientMisconfigured("invalid_client"));
    }
}
