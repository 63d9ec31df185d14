package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Items of docs/security.md that only the adapter can break: one code exchange, TLS trust. */
class OAuthClientChecklistTest {

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private ScribeJavaProviderExchange exchange;

    @AfterEach
    void stop() {
        server.close();
        if (exchange != null) {
            exchange.close();
        }
    }

    private ProviderClient clientAt(String tokenEndpoint) {
        return provider()
                .tokenEndpoint(tokenEndpoint)
                .clientSecret(leaks.secret("checklist-client-secret"))
                .client();
    }

    @Test
    void aCodeIsSentToTheTokenEndpointExactlyOnceEvenWhenTheAnswerTimesOut() throws Exception {
        server.start();
        exchange = new ScribeJavaProviderExchange(
                Stub.loopbackSettings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
        server.enqueue(new MockResponse.Builder()
                .headersDelay(5, TimeUnit.SECONDS)
                .code(200)
                .body("{}")
                .build());
        // a second answer that a retry would get: it must never be asked for
        server.enqueue(Stub.tokens(leaks.secret("at-from-a-retry"), leaks.secret("rt-from-a-retry")));

        ExchangeResult result = leaks.shown(exchange.exchangeCode(
                clientAt(server.url("/token").toString()),
                Secret.of(leaks.secret("code-checklist-1")),
                Secret.of(leaks.secret("verifier-checklist-1"))));

        assertThat(result).isEqualTo(new ExchangeFailure.Transient("timeout", null));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aTokenEndpointWithASelfSignedCertificateIsRefusedBeforeAnythingIsSent() throws Exception {
        HeldCertificate selfSigned = new HeldCertificate.Builder()
                .addSubjectAlternativeName(InetAddress.getLoopbackAddress().getHostName())
                .addSubjectAlternativeName("127.0.0.1")
                .build();
        server.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(selfSigned)
                .build()
                .sslSocketFactory());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        server.enqueue(Stub.tokens(leaks.secret("at-over-untrusted-tls"), leaks.secret("rt-over-untrusted-tls")));
        exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());

        ExchangeResult result = leaks.shown(exchange.exchangeCode(
                clientAt(server.url("/token").toString()),
                Secret.of(leaks.secret("code-checklist-2")),
                Secret.of(leaks.secret("verifier-checklist-2"))));

        assertThat(server.url("/token").isHttps()).isTrue();
        assertThat(result).isInstanceOf(ExchangeFailure.Transient.class);
        assertThat(server.getRequestCount())
                .as("no request (and no code) crossed the untrusted TLS")
                .isZero();
    }
}
