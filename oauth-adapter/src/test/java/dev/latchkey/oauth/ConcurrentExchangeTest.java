package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConcurrentExchangeTest {

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());

    @BeforeEach
    void start() throws Exception {
        // each refresh token is answered with an access token derived from it, so crossed wires would show
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String refreshToken =
                        TokenRequestEncodingTest.form(request.getBody().utf8()).get("refresh_token");
                return Stub.tokens("access-for-" + refreshToken, "next-" + refreshToken);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    @Test
    void oneExchangeServesManyThreadsAndManyClientsWithoutCrossedAnswers() throws Exception {
        List<ProviderClient> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(provider()
                    .tokenEndpoint(server.url("/token").toString())
                    .clientId("client-" + c)
                    .clientSecret(leaks.secret("concurrent-secret-" + c))
                    .client());
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<ExchangeResult>> results = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                ProviderClient client = clients.get(i % clients.size());
                Secret refreshToken = Secret.of(leaks.secret("rt-" + i + "-concurrent"));
                results.add(threads.submit(() -> exchange.refresh(client, refreshToken, List.of())));
            }
            for (int i = 0; i < results.size(); i++) {
                ExchangeResult result = leaks.shown(results.get(i).get());
                assertThat(result).isInstanceOf(TokenGrant.class);
                assertThat(((TokenGrant) result).accessToken().reveal())
                        .isEqualTo("access-for-rt-" + i + "-concurrent");
                assertThat(((TokenGrant) result).refreshToken().reveal()).isEqualTo("next-rt-" + i + "-concurrent");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(server.getRequestCount()).isEqualTo(80);
    }
}
