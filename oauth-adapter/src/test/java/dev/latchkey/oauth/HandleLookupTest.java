package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection's handle from the user-info endpoint: best effort, never a failure. */
class HandleLookupTest {

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());
    private Secret accessToken;

    @BeforeEach
    void start() throws Exception {
        server.start();
        accessToken = Secret.of(leaks.secret("at-for-user-info"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    private ProviderClient clientWithHandleAt(String pointer) {
        return provider()
                .userInfo(server.url("/me").toString(), pointer)
                .clientSecret(leaks.secret("handle-secret"))
                .client();
    }

    @Test
    void handleIsTakenThroughTheJsonPointerFromTheUserInfoFetchedWithTheAccessToken() throws Exception {
        server.enqueue(Stub.json(200, "{\"data\":{\"viewer\":{\"email\":\"alice@example.com\",\"id\":7}}}"));

        assertThat(exchange.fetchHandle(clientWithHandleAt("/data/viewer/email"), accessToken))
                .contains("alice@example.com");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer at-for-user-info");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getUrl().query()).isNull();
    }

    @Test
    void aNumericHandleIsReadAsText() {
        server.enqueue(Stub.json(200, "{\"id\":12345}"));

        assertThat(exchange.fetchHandle(clientWithHandleAt("/id"), accessToken)).contains("12345");
    }

    @Test
    void aFailingUserInfoGivesNoHandleAndNoException() {
        server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        server.enqueue(
                new MockResponse.Builder().code(200).body("<html>login</html>").build());
        server.enqueue(Stub.json(200, "{\"name\":\"Alice\"}"));
        server.enqueue(Stub.json(200, "{\"email\":{\"primary\":true}}"));
        server.enqueue(Stub.json(401, "{\"error\":\"invalid_token\"}"));
        ProviderClient client = clientWithHandleAt("/email");

        for (int i = 0; i < 5; i++) {
            assertThat(leaks.shown(exchange.fetchHandle(client, accessToken))).isEmpty();
        }
    }

    @Test
    void aSlowUserInfoGivesNoHandle() {
        exchange.close();
        exchange = new ScribeJavaProviderExchange(
                Stub.loopbackSettings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
        server.enqueue(new MockResponse.Builder()
                .headersDelay(3, TimeUnit.SECONDS)
                .body("{\"email\":\"late@example.com\"}")
                .build());

        assertThat(exchange.fetchHandle(clientWithHandleAt("/email"), accessToken))
                .isEmpty();
    }

    @Test
    void withoutAUserInfoEndpointNothingIsFetched() {
        ProviderClient client = provider().clientSecret("handle-secret").client();

        assertThat(exchange.fetchHandle(client, accessToken)).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }
}
