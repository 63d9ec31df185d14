package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the adapter sends to a token endpoint, checked on the wire of a stub provider. */
class TokenRequestEncodingTest {

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    @Test
    void jsonCodeExchangeIsUtf8JsonWithContentTypeAcceptVerifierAndNoScope() throws Exception {
        String secret = leaks.secret("json-secret-+%/");
        String code = leaks.secret("code-çödé-ñ-✓-42");
        String verifier = leaks.secret("verifier-0123456789-0123456789-0123456789-abc");
        ProviderClient client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .json()
                .clientId("client-zürich")
                .clientSecret(secret)
                .client();
        server.enqueue(Stub.tokens(leaks.secret("at-json-1"), leaks.secret("rt-json-1")));

        ExchangeResult result = leaks.shown(exchange.exchangeCode(client, Secret.of(code), Secret.of(verifier)));

        assertThat(result).isInstanceOf(TokenGrant.class);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        byte[] body = request.getBody().toByteArray();
        // the UTF-8 bytes of "çödé" and "✓", not a platform charset's "?"
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains(latin1("çödé"), latin1("✓"));
        JsonNode json = Stub.parse(body);
        assertThat(json.path("grant_type").asText()).isEqualTo("authorization_code");
        assertThat(json.path("code").asText()).isEqualTo(code);
        assertThat(json.path("code_verifier").asText()).isEqualTo(verifier);
        assertThat(json.path("redirect_uri").asText()).isEqualTo("https://latchkey.example/apps/oauth/callback");
        assertThat(json.path("client_id").asText()).isEqualTo("client-zürich");
        assertThat(json.path("client_secret").asText()).isEqualTo(secret);
        assertThat(json.has("scope"))
                .as("no ScribeJava defaultScope on code exchange")
                .isFalse();
    }

    @Test
    void jsonRefreshAsksForTheRequestedScopesAndForNoneWhenTheListIsEmpty() throws Exception {
        ProviderClient client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .json()
                .clientSecret(leaks.secret("refresh-secret"))
                .client();
        String refreshToken = leaks.secret("rt-ünïcode-1");
        server.enqueue(Stub.tokens(leaks.secret("at-refresh-1"), leaks.secret("rt-refresh-2")));
        server.enqueue(Stub.tokens(leaks.secret("at-refresh-3"), leaks.secret("rt-refresh-4")));

        leaks.shown(exchange.refresh(client, Secret.of(refreshToken), List.of("read", "write")));
        leaks.shown(exchange.refresh(client, Secret.of(refreshToken), List.of()));

        JsonNode withScopes = Stub.parse(server.takeRequest().getBody().toByteArray());
        JsonNode withoutScopes = Stub.parse(server.takeRequest().getBody().toByteArray());
        assertThat(withScopes.path("grant_type").asText()).isEqualTo("refresh_token");
        assertThat(withScopes.path("refresh_token").asText()).isEqualTo(refreshToken);
        assertThat(withScopes.path("scope").asText()).isEqualTo("read write");
        assertThat(withoutScopes.has("scope")).isFalse();
    }

    @Test
    void formRequestWithClientSecretBasicFormEncodesIdAndSecretBeforeBase64() throws Exception {
        String secret = leaks.secret("s3cr+t%41/with space&more");
        ProviderClient client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .basic()
                .clientId("id:ü")
                .clientSecret(secret)
                .client();
        String code = leaks.secret("form-code-1");
        server.enqueue(Stub.tokens(leaks.secret("at-form-1"), leaks.secret("rt-form-1")));

        leaks.shown(exchange.exchangeCode(client, Secret.of(code), null));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        String authorization = request.getHeaders().get("Authorization");
        assertThat(authorization).startsWith("Basic ");
        String credentials = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        assertThat(credentials).isEqualTo("id%3A%C3%BC:s3cr%2Bt%2541%2Fwith+space%26more");
        String[] parts = credentials.split(":", 2);
        assertThat(URLDecoder.decode(parts[0], StandardCharsets.UTF_8)).isEqualTo("id:ü");
        assertThat(URLDecoder.decode(parts[1], StandardCharsets.UTF_8)).isEqualTo(secret);
        Map<String, String> form = form(request.getBody().utf8());
        assertThat(form)
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("code", code)
                .containsEntry("redirect_uri", "https://latchkey.example/apps/oauth/callback")
                .doesNotContainKeys("client_secret", "code_verifier", "scope");
    }

    @Test
    void formRequestWithClientSecretPostPutsTheCredentialsInTheBody() throws Exception {
        String secret = leaks.secret("post+secret%/");
        ProviderClient client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .clientSecret(secret)
                .client();
        String verifier = leaks.secret("post-verifier-0123456789-0123456789-012345");
        server.enqueue(Stub.tokens(leaks.secret("at-post-1"), leaks.secret("rt-post-1")));

        leaks.shown(exchange.exchangeCode(client, Secret.of(leaks.secret("post-code")), Secret.of(verifier)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(form(request.getBody().utf8()))
                .containsEntry("client_id", "latchkey-client")
                .containsEntry("client_secret", secret)
                .containsEntry("code_verifier", verifier);
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static Map<String, String> form(String body) {
        return java.util.Arrays.stream(body.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
