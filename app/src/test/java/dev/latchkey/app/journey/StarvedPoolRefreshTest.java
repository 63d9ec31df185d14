package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.app.LatchkeyApplication;
import dev.latchkey.testsupport.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 11, item 4: a node's database pool runs dry while its refresh is at the provider. The refresh still records
 * the rotated tokens (recording retries through the starved pool, inside a lease that outlives it), another node's
 * forced refresh meanwhile shares that one refresh instead of spending the same refresh token, and exactly one
 * refresh grant reaches the (rotating) authorization server.
 */
class StarvedPoolRefreshTest extends JourneyTest {

    final CountDownLatch refreshAtProvider = new CountDownLatch(1);
    final CountDownLatch answerRefresh = new CountDownLatch(1);
    final HttpClient forward = HttpClient.newHttpClient();
    HttpServer tokenRelay;

    @Override
    boolean installsReadyApplication() {
        return false; // installed below, with its token endpoint behind the relay
    }

    @BeforeEach
    void relayTheTokenEndpoint() throws IOException {
        tokenRelay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenRelay.createContext("/token", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (new String(body, StandardCharsets.UTF_8).contains("grant_type=refresh_token")) {
                refreshAtProvider.countDown();
                try {
                    answerRefresh.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(provider.url("/oauth2/token")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Authorization", "Content-Type", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            try {
                HttpResponse<byte[]> answer = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers()
                        .firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        tokenRelay.start();
        String relayed = "http://127.0.0.1:" + tokenRelay.getAddress().getPort() + "/token";
        ObjectMapper json = new ObjectMapper();
        String manifest = json.writeValueAsString(JourneyFixtures.manifest(applicationId, provider))
                .replace(provider.url("/oauth2/token"), relayed);
        String admin = JourneyFixtures.admin();
        assertThat(api.put(admin, "/v1/applications/" + applicationId, json.readValue(manifest, Map.class))
                        .status())
                .isEqualTo(200);
        String variables = "/v1/applications/" + applicationId + "/server-variables/";
        assertThat(api.put(admin, variables + "ACME_CLIENT_ID", Map.of("value", CLIENT.id()))
                        .status())
                .isEqualTo(204);
        assertThat(api.put(admin, variables + "ACME_CLIENT_SECRET", Map.of("value", CLIENT.secret()))
                        .status())
                .isEqualTo(204);
    }

    @AfterEach
    void stopTheRelay() {
        answerRefresh.countDown();
        tokenRelay.stop(0);
    }

    @Test
    void aRefreshWhoseNodeRunsOutOfPooledConnectionsIsRecordedAndTheOtherNodeSharesIt() throws Exception {
        String connectionId = connections.connect(alice, applicationId, "workspace");
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        String refresh = "/v1/connections/" + connectionId + "/refresh";
        int grantsBefore = provider.refreshGrants();

        try (ConfigurableApplicationContext starved = starvableNode()) {
            Api nodeA = new Api("http://127.0.0.1:"
                    + ((WebServerApplicationContext) starved).getWebServer().getPort());
            HikariDataSource pool = starved.getBean(DataSource.class).unwrap(HikariDataSource.class);

            CompletableFuture<Api.Answer> onA =
                    CompletableFuture.supplyAsync(() -> nodeA.post(function, refresh, null));
            assertThat(refreshAtProvider.await(30, TimeUnit.SECONDS)).isTrue();
            List<Connection> held = drain(pool);
            // node B (this test's own instance) asks for a forced refresh while A's is in flight
            CompletableFuture<Api.Answer> onB = CompletableFuture.supplyAsync(() -> api.post(function, refresh, null));
            answerRefresh.countDown();
            // A has its grant but no connection to record it with: longer than one pool wait, shorter than the retries
            await().pollDelay(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            assertThat(onA).isNotDone();
            for (Connection connection : held) {
                connection.close();
            }

            Api.Answer a = onA.get(30, TimeUnit.SECONDS);
            Api.Answer b = onB.get(30, TimeUnit.SECONDS);
            assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
            assertThat(b.status()).as(b.raw().body()).isEqualTo(200);
            String token = a.body().path("accessToken").asText();
            assertThat(b.body().path("accessToken").asText()).isEqualTo(token);
            assertThat(provider.isActive(token)).isTrue();
            assertThat(provider.refreshGrants() - grantsBefore).isEqualTo(1);
            Api.Answer read = api.get(function, "/v1/connections/" + connectionId);
            assertThat(read.body().path("status").asText()).isEqualTo("active");
            assertThat(read.body().path("accessToken").asText()).isEqualTo(token);
        }
    }

    /** Takes every connection of the pool (waiting for those in use to come back). */
    private static List<Connection> drain(HikariDataSource pool) {
        List<Connection> held = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                held.add(pool.getConnection());
            } catch (SQLException e) {
                // one in use: try again
            }
            return held.size() == pool.getMaximumPoolSize();
        });
        return held;
    }

    /** A node with a small pool that waits 250 ms for a connection, and short provider timeouts. */
    private static ConfigurableApplicationContext starvableNode() {
        // command-line arguments: they win over application.yml (its pool wait of 3 s), as default properties would not
        return new SpringApplicationBuilder(LatchkeyApplication.class)
                .run(
                        "--spring.datasource.url=" + TestPostgres.jdbcUrl(DATABASE),
                        "--spring.datasource.username=" + TestPostgres.username(),
                        "--spring.datasource.hikari.maximum-pool-size=3",
                        "--spring.datasource.hikari.connection-timeout=250",
                        "--latchkey.provider-connect-timeout=1s",
                        "--latchkey.provider-read-timeout=2s",
                        "--latchkey.refresh-record-retry=4s",
                        "--latchkey.refresh-lease=16s",
                        "--latchkey.master-keys=" + TEST_MASTER_KEYS,
                        "--latchkey.jwt-secret=" + TEST_JWT_SECRET,
                        "--latchkey.allow-insecure-loopback=true",
                        "--latchkey.scheduled-refresh-interval=0s",
                        "--latchkey.uninstall.interval=0s",
                        "--latchkey.public-url=" + PUBLIC_URL,
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--spring.jmx.enabled=false");
    }
}
