package dev.latchkey.app.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.journey.Api;
import dev.latchkey.app.journey.Browser;
import dev.latchkey.app.provider.UninstalledApplicationClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Uninstall as a durable process: the tokens stop at once, the connections are listed from the event, and workers
 * (run here by hand, as nodes would, with a moved clock) revoke each one once, resume after a node dies, retry a
 * provider that fails, and hold no database connection while the provider answers.
 */
class UninstallProcessTest extends LatchkeySpringTest {

    static final UninstallProperties PROPERTIES = new UninstallProperties(
            Duration.ZERO, 50, Duration.ofMinutes(2), 3, Duration.ofSeconds(5), Duration.ofHours(1));

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    Revocation revocation;

    @Autowired
    UninstalledApplicationClients clients;

    final Api api = new Api(PUBLIC_URL);
    final AtomicInteger issued = new AtomicInteger();
    final AtomicInteger revokeStatus = new AtomicInteger(200);
    final List<String> revoked = new CopyOnWriteArrayList<>();
    final AtomicReference<CountDownLatch> revokeArrived = new AtomicReference<>();
    final AtomicReference<CountDownLatch> releaseRevoke = new AtomicReference<>();
    HttpServer stub;
    String applicationId;
    String workspace;
    String admin;

    @BeforeEach
    void startStubProviderAndInstall() throws IOException {
        forgetOtherTestsRevocations();
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/token", exchange -> {
            int n = issued.incrementAndGet();
            answer(
                    exchange,
                    200,
                    "{\"access_token\":\"access-" + n + "\",\"refresh_token\":\"refresh-" + n
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        });
        stub.createContext("/revoke", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CountDownLatch arrived = revokeArrived.get();
            if (arrived != null) {
                arrived.countDown();
                try {
                    releaseRevoke.get().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = revokeStatus.get();
            if (status == 200) {
                revoked.add(token(body));
            }
            answer(exchange, status, "");
        });
        stub.start();
        applicationId = UUID.randomUUID().toString();
        workspace = "ws-" + UUID.randomUUID();
        admin = Api.token("sub", "admin-1", "scope", "apps:admin");
        install();
    }

    @AfterEach
    void stopStubProvider() {
        if (releaseRevoke.get() != null) {
            releaseRevoke.get().countDown();
        }
        stub.stop(0);
        forgetOtherTestsRevocations();
    }

    @Test
    void fromTheMomentTheUninstallReturnsNoTokenOfTheApplicationIsHandedOut() {
        String id = connect();
        assertThat(function().path("items").get(0).path("accessToken").asText()).isEqualTo("access-1");

        assertThat(api.delete(admin, "/v1/applications/" + applicationId).status())
                .isEqualTo(202);

        JsonNode listed = function().path("items").get(0);
        assertThat(listed.path("id").asText()).isEqualTo(id);
        assertThat(listed.has("accessToken")).isFalse();
        assertThat(listed.path("credentialsError").asText()).isEqualTo("application-uninstalled");
        JsonNode one = api.get(functionToken(), "/v1/connections/" + id).body();
        assertThat(one.has("accessToken")).isFalse();
        assertThat(one.path("credentialsError").asText()).isEqualTo("application-uninstalled");
    }

    @Test
    void aWorkerThatDiesMidWayIsTakenOverAndEveryConnectionIsRevokedExactlyOnce() {
        List<String> ids = List.of(connect(), connect(), connect());
        uninstall(ids.size());
        Instant now = Instant.now();
        UninstallRevocations nodeA = worker();

        List<UninstallRevocations.Claimed> claimed = nodeA.claim(now);
        assertThat(claimed).hasSize(3);
        nodeA.attempt(claimed.get(0), now, new HashMap<>());
        // node A dies here, holding the other two claims

        UninstallRevocations nodeB = worker();
        assertThat(nodeB.runDue(now.plusSeconds(60)))
                .as("the claims still hold")
                .isZero();
        assertThat(nodeB.runDue(now.plus(PROPERTIES.lease()).plusSeconds(1))).isEqualTo(2);
        assertThat(worker().runDue(now.plus(Duration.ofHours(1)))).isZero();

        for (String id : ids) {
            assertThat(revokedEvents(id)).as(id).isEqualTo(1);
            assertThat(outcome(id)).isEqualTo("revoked");
        }
        assertThat(revoked).contains("refresh-1", "refresh-2", "refresh-3");
        assertThat(api.get(functionToken(), "/v1/connections").body().path("items"))
                .isEmpty();
    }

    @Test
    void aProviderAnswering503IsTriedAgainAfterABackoffUntilItRevokes() {
        String id = connect();
        uninstall(1);
        revokeStatus.set(503);
        Instant now = Instant.now();

        assertThat(worker().runDue(now)).isEqualTo(1);

        assertThat(revokedEvents(id)).isZero();
        assertThat(outcome(id)).isEqualTo("failed");
        Instant dueAt = jdbc.queryForObject(
                        "select due_at from pending_revocation where connection_id = ?", java.sql.Timestamp.class, id)
                .toInstant();
        assertThat(dueAt).isBetween(now.plusSeconds(4), now.plusSeconds(6));
        assertThat(worker().runDue(now.plusSeconds(1))).as("not due yet").isZero();

        revokeStatus.set(200);
        assertThat(worker().runDue(now.plusSeconds(10))).isEqualTo(1);

        assertThat(revokedEvents(id)).isEqualTo(1);
        assertThat(outcome(id)).isEqualTo("revoked");
        assertThat(attempts(id)).isEqualTo(2);
        assertThat(revoked).contains("refresh-1");
    }

    @Test
    void aProviderThatNeverRecoversIsGivenUpAfterTheLastAttemptAndTheConnectionRevokedAnyway() {
        String id = connect();
        uninstall(1);
        revokeStatus.set(503);
        Instant now = Instant.now();

        for (int attempt = 1; attempt <= PROPERTIES.maxAttempts(); attempt++) {
            assertThat(revokedEvents(id)).isZero();
            assertThat(worker().runDue(now.plus(Duration.ofHours(attempt)))).isEqualTo(1);
        }

        assertThat(revokedEvents(id)).isEqualTo(1);
        assertThat(outcome(id)).isEqualTo("failed");
        assertThat(attempts(id)).isEqualTo(PROPERTIES.maxAttempts());
        assertThat(worker().runDue(now.plus(Duration.ofDays(2)))).isZero();
    }

    @Test
    void whileTheProviderHoldsTheRevocationNoDatabaseConnectionIsCheckedOut() throws Exception {
        String id = connect();
        uninstall(1);
        revokeArrived.set(new CountDownLatch(1));
        releaseRevoke.set(new CountDownLatch(1));

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> worker().runDue(Instant.now()));
        assertThat(revokeArrived.get().await(20, TimeUnit.SECONDS)).isTrue();

        HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .alias("the worker waits on the provider with no connection checked out")
                .until(() -> pool.getActiveConnections() == 0);
        assertThat(run).isNotDone();

        revokeArrived.set(null);
        releaseRevoke.get().countDown();
        assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(revokedEvents(id)).isEqualTo(1);
    }

    private UninstallRevocations worker() {
        return new UninstallRevocations(jdbc, revocation, clients, PROPERTIES, Clock.systemUTC());
    }

    /** Uninstalls and waits for the process to list the application's connections. */
    private void uninstall(int connections) {
        assertThat(api.delete(admin, "/v1/applications/" + applicationId).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> jdbc.queryForObject(
                                "select count(*) from pending_revocation where application_id = ?",
                                Integer.class,
                                applicationId),
                        count -> count == connections);
    }

    private int revokedEvents(String connectionId) {
        return jdbc.queryForObject("""
                select count(*) from domain_event_entry
                where aggregate_identifier = ? and payload_type like '%.ConnectionRevoked'
                """, Integer.class, connectionId);
    }

    private String outcome(String connectionId) {
        return jdbc.queryForObject(
                "select last_outcome from pending_revocation where connection_id = ?", String.class, connectionId);
    }

    private int attempts(String connectionId) {
        return jdbc.queryForObject(
                "select attempts from pending_revocation where connection_id = ?", Integer.class, connectionId);
    }

    /** Rows of other tests' uninstalls are never due again here: each test counts only its own. */
    private void forgetOtherTestsRevocations() {
        jdbc.update("update pending_revocation set done_at = now(), claimed_until = null where done_at is null");
    }

    private JsonNode function() {
        return api.get(functionToken(), "/v1/connections").body();
    }

    private String functionToken() {
        return Api.token(
                "sub",
                "fn:" + applicationId,
                "wid",
                workspace,
                "app",
                applicationId,
                "trigger",
                "cron",
                "scope",
                "connections:credentials");
    }

    private void install() {
        String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort();
        Map<String, Object> oauth = Map.of(
                "authorizationEndpoint",
                stubUrl + "/authorize",
                "tokenEndpoint",
                stubUrl + "/token",
                "revokeEndpoint",
                stubUrl + "/revoke",
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
                "Stub",
                "serverVariables",
                Map.of(
                        "ID", Map.of("description", "id", "isSecret", false, "isRequired", true),
                        "SECRET", Map.of("description", "secret", "isSecret", true, "isRequired", true)),
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier", UUID.randomUUID().toString(),
                        "name", "stub",
                        "displayName", "Stub",
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
    }

    /** A workspace connection of Alice's, consented at the stub: answers its id. */
    private String connect() {
        String member = Api.token(
                "sub",
                "user:uw-alice",
                "wid",
                workspace,
                "uwid",
                "uw-alice",
                "scope",
                "connections:write connections:read");
        Api.Answer started = api.post(
                member,
                "/v1/connections",
                Map.of("applicationId", applicationId, "providerName", "stub", "visibility", "workspace"));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        Browser browser = new Browser();
        HttpResponse<String> toProvider =
                browser.get(URI.create(started.body().path("authorizeUrl").asText()));
        String state = UriComponentsBuilder.fromUriString(Browser.location(toProvider))
                .build()
                .getQueryParams()
                .getFirst("state");
        HttpResponse<String> page =
                browser.get(URI.create(PUBLIC_URL + "/apps/oauth/callback?code=the-code&state=" + state));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return started.body().path("connectionId").asText();
    }

    private static String token(String form) {
        List<String> tokens = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                tokens.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return tokens.isEmpty() ? "" : tokens.get(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
