package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.latchkey.app.LatchkeySpringTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.UriComponentsBuilder;

/** No database connection or transaction is held while Latchkey waits for a provider. */
class ProviderWaitTest extends LatchkeySpringTest {

    @Autowired
    DataSource dataSource;

    final Api api = new Api(PUBLIC_URL);
    final CountDownLatch tokenRequestArrived = new CountDownLatch(1);
    final CountDownLatch releaseTokenAnswer = new CountDownLatch(1);
    HttpServer stub;

    @BeforeEach
    void startStubProvider() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/token", exchange -> {
            tokenRequestArrived.countDown();
            try {
                releaseTokenAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"access_token\":\"stub-access\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
    }

    @AfterEach
    void stopStubProvider() {
        releaseTokenAnswer.countDown();
        stub.stop(0);
    }

    @Test
    void whileTheProviderHoldsTheCodeExchangeNoDatabaseConnectionIsCheckedOut() throws Exception {
        String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort();
        String applicationId = UUID.randomUUID().toString();
        String admin = JourneyFixtures.admin();
        Map<String, Object> oauth = Map.of(
                "authorizationEndpoint",
                stubUrl + "/authorize",
                "tokenEndpoint",
                stubUrl + "/token",
                "scopes",
                List.of("read"),
                "clientIdVariable",
                "ID",
                "clientSecretVariable",
                "SECRET",
                "usePkce",
                false);
        Map<String, Object> manifest = Map.of(
                "universalIdentifier",
                applicationId,
                "displayName",
                "Slow",
                "serverVariables",
                Map.of(
                        "ID", Map.of("description", "id", "isSecret", false, "isRequired", true),
                        "SECRET", Map.of("description", "secret", "isSecret", true, "isRequired", true)),
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier", UUID.randomUUID().toString(),
                        "name", "slow",
                        "displayName", "Slow",
                        "type", "oauth",
                        "oauth", oauth)));
        assertThat(api.put(admin, "/v1/applications/" + applicationId, manifest).status())
                .isEqualTo(200);
        String variables = "/v1/applications/" + applicationId + "/server-variables/";
        assertThat(api.put(admin, variables + "ID", Map.of("value", "id")).status())
                .isEqualTo(204);
        assertThat(api.put(admin, variables + "SECRET", Map.of("value", "secret"))
                        .status())
                .isEqualTo(204);
        String member = JourneyFixtures.member("ws-" + UUID.randomUUID(), "uw-alice");
        Api.Answer started = api.post(
                member,
                "/v1/connections",
                Map.of("applicationId", applicationId, "providerName", "slow", "visibility", "user"));
        Browser browser = new Browser();
        HttpResponse<String> toProvider =
                browser.get(URI.create(started.body().path("authorizeUrl").asText()));
        String state = UriComponentsBuilder.fromUriString(Browser.location(toProvider))
                .build()
                .getQueryParams()
                .getFirst("state");
        URI callback = URI.create(PUBLIC_URL + "/apps/oauth/callback?code=the-code&state=" + state);

        CompletableFuture<HttpResponse<String>> page = CompletableFuture.supplyAsync(() -> browser.get(callback));
        assertThat(tokenRequestArrived.await(20, TimeUnit.SECONDS)).isTrue();

        HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .alias("the callback waits on the provider with no connection checked out")
                .until(() -> pool.getActiveConnections() == 0);
        assertThat(page).isNotDone();

        releaseTokenAnswer.countDown();
        assertThat(page.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(api.get(
                                member,
                                "/v1/connections/"
                                        + started.body().path("connectionId").asText())
                        .body()
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }
}
