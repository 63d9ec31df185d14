package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fast happy path with client_secret_post against NAV's mock-oauth2-server, refresh tokens rotating. */
class MockOAuth2ServerExchangeTest {

    private static final String ISSUER = "latchkey";
    private static MockOAuth2Server server;
    private static ScribeJavaProviderExchange exchange;

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    @BeforeAll
    static void start() {
        LeakScanner.bridgeJavaUtilLogging();
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
        server.start(InetAddress.getLoopbackAddress(), 0);
        exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());
    }

    @AfterAll
    static void stop() {
        exchange.close();
        server.shutdown();
    }

    private ProviderClient client() {
        return TestProvider.provider()
                .authorizationEndpoint(server.authorizationEndpointUrl(ISSUER).toString())
                .tokenEndpoint(server.tokenEndpointUrl(ISSUER).toString())
                .scopes("openid", "profile")
                .clientId("latchkey-post-client")
                .clientSecret(leaks.secret("post-secret+%/"))
                .redirectUri("http://127.0.0.1:9/apps/oauth/callback")
                .client();
    }

    private Secret authorize(ProviderClient client, Secret verifier) throws Exception {
        String state = leaks.secret(UUID.randomUUID().toString());
        URI consent = exchange.authorizationUrl(client, Secret.of(state), verifier);
        HttpResponse<Void> answer = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(HttpRequest.newBuilder(consent).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).isEqualTo(302);
        URI callback = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(callback.toString()).startsWith("http://127.0.0.1:9/apps/oauth/callback?");
        Map<String, String> query = java.util.Arrays.stream(
                        callback.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        assertThat(query).containsEntry("state", state);
        return Secret.of(leaks.secret(query.get("code")));
    }

    private TokenGrant tokens(ExchangeResult result) {
        leaks.shown(result);
        assertThat(result).isInstanceOf(TokenGrant.class);
        TokenGrant grant = (TokenGrant) result;
        leaks.secret(grant.accessToken().reveal());
        leaks.secret(grant.refreshToken().reveal());
        return grant;
    }

    @Test
    void codeFlowWithClientSecretPostGivesTokens() throws Exception {
        ProviderClient client = client();
        Secret verifier = Secret.of(leaks.secret("mock-verifier-0123456789-0123456789-0123456789"));
        recordedTokenRequests(); // what earlier tests left
        Secret code = authorize(client, verifier);

        TokenGrant grant = tokens(exchange.exchangeCode(client, code, verifier));

        assertThat(grant.tokenType()).isEqualToIgnoringCase("Bearer");
        assertThat(grant.expiresIn()).isPositive();
        List<RecordedRequest> tokenRequests = recordedTokenRequests();
        assertThat(tokenRequests).hasSize(1);
        RecordedRequest tokenRequest = tokenRequests.get(0);
        Map<String, String> form =
                TokenRequestEncodingTest.form(tokenRequest.getBody().readUtf8());
        assertThat(tokenRequest.getHeader("Authorization")).isNull();
        assertThat(form)
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("client_id", "latchkey-post-client")
                .containsEntry("client_secret", "post-secret+%/")
                .containsEntry("code_verifier", verifier.reveal())
                .containsEntry("redirect_uri", "http://127.0.0.1:9/apps/oauth/callback");
    }

    @Test
    void refreshRotatesTheRefreshTokenTheNewOneKeepsWorkingAndTheOldOneIsRefused() throws Exception {
        ProviderClient client = client();
        Secret verifier = Secret.of(leaks.secret("mock-verifier-rotation-0123456789-0123456789"));
        TokenGrant first = tokens(exchange.exchangeCode(client, authorize(client, verifier), verifier));

        TokenGrant second = tokens(exchange.refresh(client, first.refreshToken(), List.of()));
        TokenGrant third = tokens(exchange.refresh(client, second.refreshToken(), List.of()));
        ExchangeResult withOldToken = leaks.shown(exchange.refresh(client, first.refreshToken(), List.of()));

        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(third.refreshToken()).isNotEqualTo(second.refreshToken());
        assertThat(third.accessToken()).isNotEqualTo(second.accessToken());
        assertThat(withOldToken).isEqualTo(new GrantRevoked("invalid_grant"));
    }

    /** The token requests the server saw since the last call (its queue also holds the browser's requests). */
    private static List<RecordedRequest> recordedTokenRequests() {
        List<RecordedRequest> seen = new java.util.ArrayList<>();
        while (true) {
            try {
                seen.add(server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (RuntimeException empty) {
                return seen.stream()
                        .filter(request -> request.getPath().endsWith("/token"))
                        .toList();
            }
        }
    }
}
