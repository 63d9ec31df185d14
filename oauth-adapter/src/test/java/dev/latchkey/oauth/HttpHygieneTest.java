package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timeouts, redirects, body cap and where the adapter may connect to. */
class HttpHygieneTest {

    private static final int TEN_MEGABYTES = 10 * 1024 * 1024;

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());
    private Secret refreshToken;

    @BeforeEach
    void start() throws Exception {
        server.start();
        refreshToken = Secret.of(leaks.secret("rt-hygiene"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    private ProviderClient clientAt(String tokenEndpoint) {
        return provider()
                .tokenEndpoint(tokenEndpoint)
                .clientSecret(leaks.secret("hygiene-secret"))
                .client();
    }

    private ExchangeResult refresh(ProviderClient client) {
        return leaks.shown(exchange.refresh(client, refreshToken, List.of()));
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .addHeader("Location", server.url("/elsewhere").toString())
                .build());
        server.enqueue(Stub.tokens(leaks.secret("at-from-redirect-target"), leaks.secret("rt-from-redirect-target")));

        ExchangeResult result = refresh(clientAt(server.url("/token").toString()));

        assertThat(result).isEqualTo(new Transient("redirect", null));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/token");
    }

    @Test
    void aSlowAnswerTimesOut() {
        exchange.close();
        exchange = new ScribeJavaProviderExchange(
                Stub.loopbackSettings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
        server.enqueue(new MockResponse.Builder()
                .headersDelay(5, TimeUnit.SECONDS)
                .code(200)
                .body("{}")
                .build());

        long started = System.nanoTime();
        ExchangeResult result = refresh(clientAt(server.url("/token").toString()));

        assertThat(result).isEqualTo(new Transient("timeout", null));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBodyDrippedSlowerThanTheWholeCallDeadlineTimesOut() throws Exception {
        // one byte every 200 ms: every read comes within the 500 ms read timeout, the whole call (1 s + 2 × 0.5 s)
        // does not
        CountDownLatch clientDone = new CountDownLatch(1);
        HttpServer dripping = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dripping.createContext("/token", http -> {
            http.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"" + leaks.secret("at-dripped") + "\"}").getBytes();
            http.sendResponseHeaders(200, body.length);
            try (OutputStream out = http.getResponseBody()) {
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    if (clientDone.await(200, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up, as it should
            }
        });
        dripping.start();
        try {
            exchange.close();
            exchange = new ScribeJavaProviderExchange(
                    Stub.loopbackSettings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500)));
            String url = "http://127.0.0.1:" + dripping.getAddress().getPort() + "/token";

            long started = System.nanoTime();
            ExchangeResult result = refresh(clientAt(url));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(result).isEqualTo(new Transient("timeout", null));
            assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
        } finally {
            clientDone.countDown();
            dripping.stop(0);
        }
    }

    @Test
    void aTenMegabyteBodyWithItsLengthDeclaredIsRefused() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(new Buffer().write(new byte[TEN_MEGABYTES]))
                .build());

        assertThat(refresh(clientAt(server.url("/token").toString()))).isEqualTo(new Transient("body-too-large", null));
    }

    @Test
    void aTenMegabyteStreamedBodyIsRefusedWithoutReadingItAll() throws Exception {
        // Sends 1 MiB, then waits: a client reading the whole body would hit the read timeout instead.
        CountDownLatch clientDone = new CountDownLatch(1);
        AtomicLong written = new AtomicLong();
        HttpServer streaming = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        streaming.createContext("/token", http -> {
            http.getRequestBody().readAllBytes();
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            try (OutputStream out = http.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                while (written.get() < TEN_MEGABYTES) {
                    out.write(chunk);
                    out.flush();
                    if (written.addAndGet(chunk.length) == 1024 * 1024) {
                        clientDone.await(10, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up, as it should
            }
        });
        streaming.start();
        try {
            exchange.close();
            exchange = new ScribeJavaProviderExchange(
                    Stub.loopbackSettings().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)));
            String url = "http://127.0.0.1:" + streaming.getAddress().getPort() + "/token";

            long started = System.nanoTime();
            ExchangeResult result = refresh(clientAt(url));
            clientDone.countDown();

            assertThat(result).isEqualTo(new Transient("body-too-large", null));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        } finally {
            clientDone.countDown();
            streaming.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(refresh(clientAt("http://127.0.0.1:" + closedPort + "/token")))
                .isEqualTo(new Transient("connection-refused", null));
    }

    @Test
    void plainHttpIsRefusedUnlessInsecureLoopbackIsAllowed() {
        exchange.close();
        exchange = new ScribeJavaProviderExchange(ProviderExchangeSettings.defaults());
        server.enqueue(Stub.tokens(leaks.secret("at-never-sent"), leaks.secret("rt-never-sent")));

        ExchangeResult result = refresh(clientAt(server.url("/token").toString()));

        assertThat(result).isEqualTo(new ClientMisconfigured("endpoint-not-allowed"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aLoopbackHostIsRefusedOverHttpsUnlessInsecureLoopbackIsAllowed() {
        exchange.close();
        exchange = new ScribeJavaProviderExchange(ProviderExchangeSettings.defaults());

        assertThat(refresh(clientAt("https://localhost:" + server.getPort() + "/token")))
                .isEqualTo(new ClientMisconfigured("address-not-allowed"));
        assertThat(refresh(clientAt("https://127.0.0.1:" + server.getPort() + "/token")))
                .isEqualTo(new ClientMisconfigured("address-not-allowed"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void privateAndLinkLocalAddressesAreRefusedEvenWithInsecureLoopback() {
        long started = System.nanoTime();

        assertThat(refresh(clientAt("https://169.254.169.254/latest/meta-data")))
                .isEqualTo(new ClientMisconfigured("address-not-allowed"));
        assertThat(refresh(clientAt("https://10.255.255.1/token")))
                .isEqualTo(new ClientMisconfigured("address-not-allowed"));
        assertThat(refresh(clientAt("https://[fd00::1]/token")))
                .isEqualTo(new ClientMisconfigured("address-not-allowed"));
        assertThat(refresh(clientAt("http://192.168.1.1/token")))
                .isEqualTo(new ClientMisconfigured("endpoint-not-allowed"));
        // refused before any connection attempt, so no connect timeout was waited for
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
}
