package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import dev.latchkey.app.MovableClock;
import dev.latchkey.app.deadletter.ParkedSequences;
import dev.latchkey.app.replay.EventFixtures;
import dev.latchkey.app.security.DevTokenCommand;
import dev.latchkey.app.webhook.ExpiringRefreshTokens;
import dev.latchkey.app.webhook.WebhookDispatcher;
import dev.latchkey.app.webhook.WebhookEndpoints;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.WorkspaceId;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Lifecycle webhooks end to end: the real authorization server, Latchkey's dispatcher, and a real HTTP receiver that
 * verifies every signature with the Standard Webhooks library. Time is moved by the clock, never slept.
 */
class WebhookDeliveryTest extends JourneyTest {

    static final List<String> DATA_KEYS = List.of(
            "connectionId",
            "applicationId",
            "workspaceId",
            "providerName",
            "userWorkspaceId",
            "visibility",
            "status",
            "name",
            "handle",
            "reason");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    ExpiringRefreshTokens expiring;

    @Autowired
    WebhookEndpoints endpoints;

    @Autowired
    CommandGateway commands;

    @Autowired
    EventStore eventStore;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    ParkedSequences parkedSequences;

    final ObjectMapper json = new ObjectMapper();
    final String admin = JourneyFixtures.admin();
    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
        MovableClock.reset();
    }

    @Test
    void everyLifecycleEventIsDeliveredOnceWithItsBodyAndASignatureThatVerifies() throws Exception {
        JsonNode endpoint = createEndpoint(null);
        String secret = endpoint.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        receiver.verifyingWith(secret);
        String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");

        String id = connections.connect(alice, applicationId, "user");
        awaitReceived(1);
        assertThat(api.patch(alice, "/v1/connections/" + id, Map.of("name", "Work", "visibility", "workspace"))
                        .status())
                .isEqualTo(200);
        // a PATCH that changes nothing announces nothing: the next delivery is the reconnect's
        assertThat(api.patch(alice, "/v1/connections/" + id, Map.of("name", "Work"))
                        .status())
                .isEqualTo(200);
        reconnect(id);
        awaitReceived(3);

        // the OAuth client breaks (a refresh fails, the connection retries), then is repaired (it recovers)
        setClientSecret("not-the-secret");
        assertThat(api.post(function, "/v1/connections/" + id + "/refresh", null)
                        .status())
                .isNotEqualTo(200);
        awaitReceived(4);
        setClientSecret(CLIENT.secret());
        MovableClock.advance(Duration.ofMinutes(2)); // past the forced-refresh throttle and the backoff
        Api.Answer recovered = api.post(function, "/v1/connections/" + id + "/refresh", null);
        assertThat(recovered.status()).as(recovered.raw().body()).isEqualTo(200);
        awaitReceived(5);
        MovableClock.reset();

        assertThat(api.post(function, "/v1/connections/" + id + "/auth-failure", Map.of("reason", "401 from the API"))
                        .status())
                .isEqualTo(204);
        assertThat(api.delete(alice, "/v1/connections/" + id).status()).isEqualTo(200);
        List<WebhookReceiver.Received> received = awaitReceived(7);

        List<JsonNode> bodies = new ArrayList<>();
        for (WebhookReceiver.Received request : received) {
            bodies.add(json.readTree(request.body()));
        }
        assertThat(bodies.stream().map(body -> body.path("type").asText()))
                .containsExactly(
                        "connection.created",
                        "connection.updated",
                        "connection.reconnected",
                        "connection.retrying",
                        "connection.recovered",
                        "connection.auth_failed",
                        "connection.deleted");
        for (JsonNode body : bodies) {
            assertThat(body.path("data").properties().stream().map(Map.Entry::getKey))
                    .containsExactlyInAnyOrderElementsOf(DATA_KEYS);
            assertThat(body.path("data").path("connectionId").asText()).isEqualTo(id);
            assertThat(body.path("data").path("applicationId").asText()).isEqualTo(applicationId);
            assertThat(body.path("data").path("workspaceId").asText()).isEqualTo(workspace);
            assertThat(body.path("data").path("providerName").asText()).isEqualTo("acme");
            assertThat(body.path("data").path("userWorkspaceId").asText()).isEqualTo("uw-alice");
            // the event's time (the recovery's is two minutes on: the clock had been moved)
            assertThat(Instant.parse(body.path("timestamp").asText()))
                    .isBetween(
                            Instant.now().minus(Duration.ofMinutes(5)),
                            Instant.now().plus(Duration.ofMinutes(5)));
        }
        assertThat(bodies.get(0).at("/data/status").asText()).isEqualTo("active");
        assertThat(bodies.get(0).at("/data/visibility").asText()).isEqualTo("user");
        assertThat(bodies.get(0).at("/data/handle").asText()).isNotBlank();
        assertThat(bodies.get(0).at("/data/reason").isNull()).isTrue();
        assertThat(bodies.get(1).at("/data/name").asText()).isEqualTo("Work");
        assertThat(bodies.get(1).at("/data/visibility").asText()).isEqualTo("workspace");
        assertThat(bodies.get(3).at("/data/reason").asText()).isNotBlank();
        assertThat(bodies.get(5).at("/data/status").asText()).isEqualTo("auth-failed");
        assertThat(bodies.get(5).at("/data/reason").asText()).isEqualTo("401 from the API");
        assertThat(bodies.get(6).at("/data/status").asText()).isEqualTo("revoked");

        assertThat(received).allMatch(WebhookReceiver.Received::verified, "signature verified");
        assertThat(received.stream().map(WebhookReceiver.Received::webhookId).distinct())
                .hasSize(7);
        WebhookReceiver.Received first = received.get(0);
        Map<String, List<String>> tampered = first.headers();
        assertThat(WebhookReceiver.verifies(first.body().replace("\"active\"", "\"revoked\""), tampered, secret))
                .isFalse();
        long old = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
        Map<String, List<String>> replayed = Map.of(
                "webhook-id", List.of(first.webhookId()),
                "webhook-timestamp", List.of(Long.toString(old)),
                "webhook-signature", List.of(new Webhook(secret).sign(first.webhookId(), old, first.body())));
        assertThat(WebhookReceiver.verifies(first.body(), replayed, secret)).isFalse();

        JsonNode log = api.get(admin, endpointPath(endpoint) + "/deliveries?status=delivered")
                .body();
        assertThat(log.path("items")).hasSize(7);
        assertThat(log.at("/items/0/attempts/0/statusCode").asInt()).isEqualTo(200);
        assertThat(log.at("/items/0/eventType").asText()).isEqualTo("connection.deleted");
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheSameWebhookIdFourTimes() {
        JsonNode endpoint = createEndpoint(List.of("connection.created"));
        receiver.answerNext(500).answerNext(503).answerNext(502);
        connections.connect(alice, applicationId, "user");
        awaitReceived(1);
        JsonNode pending = awaitDelivery(endpoint, d -> d.path("attempts").size() == 1);
        Duration firstWait = Duration.between(
                Instant.parse(pending.at("/attempts/0/at").asText()),
                Instant.parse(pending.path("nextAttemptAt").asText()));
        assertThat(firstWait).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));

        MovableClock.advance(Duration.ofSeconds(7));
        awaitReceived(2);
        awaitDelivery(endpoint, d -> d.path("attempts").size() == 2);
        MovableClock.advance(Duration.ofMinutes(7));
        awaitReceived(3);
        awaitDelivery(endpoint, d -> d.path("attempts").size() == 3);
        MovableClock.advance(Duration.ofMinutes(40));
        List<WebhookReceiver.Received> received = awaitReceived(4);

        assertThat(received.stream().map(WebhookReceiver.Received::webhookId).distinct())
                .hasSize(1);
        assertThat(received.stream().map(WebhookReceiver.Received::body).distinct())
                .hasSize(1);
        JsonNode delivered =
                awaitDelivery(endpoint, d -> d.path("status").asText().equals("delivered"));
        assertThat(delivered.path("attempts").findValuesAsText("statusCode"))
                .containsExactly("500", "503", "502", "200");
        assertThat(delivered.path("nextAttemptAt").isNull()).isTrue();
    }

    @Test
    void aReceiverAnswering410DisablesTheEndpointAndFailsItsPendingDeliveries() {
        JsonNode endpoint = createEndpoint(null);
        CountDownLatch release = new CountDownLatch(1);
        receiver.holdNext(release, 410);
        String id = connections.connect(alice, applicationId, "user");
        awaitReceived(1);
        // held: the rename's delivery waits behind the connection's first
        assertThat(api.patch(alice, "/v1/connections/" + id, Map.of("name", "Later"))
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(endpoint, "pending").size() == 2);
        assertThat(receiver.received()).hasSize(1);
        release.countDown();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(endpoint, "failed").size() == 2);
        JsonNode disabled = api.get(admin, endpointPath(endpoint)).body();
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asText()).isEqualTo("gone");
        assertThat(api.patch(alice, "/v1/connections/" + id, Map.of("name", "After"))
                        .status())
                .isEqualTo(200);
        assertThat(receiver.received()).hasSize(1);
        assertThat(deliveries(endpoint, null)).hasSize(2);
    }

    @Test
    void aReceiverThatHangsIsGivenUpOnAndTriedAgain() {
        JsonNode endpoint = createEndpoint(List.of("connection.created"));
        receiver.holdNext(new CountDownLatch(1), 200); // never released: only the receiver's close ends it
        connections.connect(alice, applicationId, "user");
        JsonNode timedOut = awaitDelivery(endpoint, d -> d.path("attempts").size() == 1);
        assertThat(timedOut.at("/attempts/0/error").asText()).isEqualTo("timeout");
        assertThat(timedOut.at("/attempts/0/statusCode").isNull()).isTrue();
        assertThat(timedOut.at("/attempts/0/durationMs").asLong()).isGreaterThanOrEqualTo(1900);

        MovableClock.advance(Duration.ofSeconds(7));
        List<WebhookReceiver.Received> received = awaitReceived(2);
        assertThat(received.get(1).webhookId()).isEqualTo(received.get(0).webhookId());
        awaitDelivery(endpoint, d -> d.path("status").asText().equals("delivered"));
    }

    @Test
    void retryAfterSetsTheNextAttempt() {
        JsonNode endpoint = createEndpoint(List.of("connection.created"));
        receiver.answerNext(503, "Retry-After", "120");
        connections.connect(alice, applicationId, "user");
        JsonNode deferred = awaitDelivery(endpoint, d -> d.path("attempts").size() == 1);
        Duration wait = Duration.between(
                Instant.parse(deferred.at("/attempts/0/at").asText()),
                Instant.parse(deferred.path("nextAttemptAt").asText()));
        assertThat(wait).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(121));

        MovableClock.advance(Duration.ofSeconds(100));
        dispatcher.wake();
        assertThat(receiver.received()).hasSize(1);
        MovableClock.advance(Duration.ofSeconds(22));
        awaitReceived(2);
        awaitDelivery(endpoint, d -> d.path("status").asText().equals("delivered"));
    }

    @Test
    void duringARotationBothSecretsSignAndEachVerifiesAlone() throws Exception {
        JsonNode endpoint = createEndpoint(null);
        String old = endpoint.path("secret").asText();
        Api.Answer rotated = api.post(admin, endpointPath(endpoint) + "/rotate-secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        String current = rotated.body().path("secret").asText();
        assertThat(current).startsWith("whsec_").isNotEqualTo(old);
        assertThat(api.get(admin, endpointPath(endpoint)).body().has("secret")).isFalse();

        String id = connections.connect(alice, applicationId, "user");
        WebhookReceiver.Received during = awaitReceived(1).get(0);
        assertThat(during.signature().split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        assertThat(WebhookReceiver.verifies(during, old)).isTrue();
        assertThat(WebhookReceiver.verifies(during, current)).isTrue();
        assertThat(WebhookReceiver.verifies(
                        during, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                .isFalse();

        // a day later the old secret has stopped signing
        MovableClock.advance(Duration.ofHours(25));
        String aliceThen = DevTokenCommand.mint(
                Map.of(
                        "sub", "user:uw-alice",
                        "wid", workspace,
                        "uwid", "uw-alice",
                        "scope", "connections:write connections:read"),
                TEST_JWT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Instant.now().plus(Duration.ofHours(25)));
        assertThat(api.patch(aliceThen, "/v1/connections/" + id, Map.of("name", "Later"))
                        .status())
                .isEqualTo(200);
        WebhookReceiver.Received after = awaitReceived(2).get(1);
        assertThat(after.signature())
                .isEqualTo(
                        new Webhook(current).sign(after.webhookId(), Long.parseLong(after.timestamp()), after.body()));
    }

    @Test
    void anUninstallAnnouncesEachConnectionDeletedThenTheApplicationAndThenDropsTheEndpoint() throws Exception {
        JsonNode endpoint = createEndpoint(null);
        String first = connections.connect(alice, applicationId, "user");
        String second = connections.connect(alice, applicationId, "workspace");
        awaitReceived(2);

        assertThat(api.delete(admin, "/v1/applications/" + applicationId).status())
                .isEqualTo(202);
        List<WebhookReceiver.Received> received = awaitReceived(5);

        List<JsonNode> bodies = new ArrayList<>();
        for (WebhookReceiver.Received request : received) {
            bodies.add(json.readTree(request.body()));
        }
        assertThat(bodies.subList(2, 4).stream().map(b -> b.path("type").asText()))
                .containsOnly("connection.deleted");
        assertThat(bodies.subList(2, 4).stream()
                        .map(b -> b.at("/data/connectionId").asText()))
                .containsExactlyInAnyOrder(first, second);
        assertThat(bodies.subList(2, 4).stream().map(b -> b.at("/data/status").asText()))
                .containsOnly("revoked");
        JsonNode uninstalled = bodies.get(4);
        assertThat(uninstalled.path("type").asText()).isEqualTo("application.uninstalled");
        assertThat(uninstalled.at("/data/applicationId").asText()).isEqualTo(applicationId);
        assertThat(uninstalled.at("/data/connectionId").isNull()).isTrue();
        assertThat(uninstalled.path("data").properties()).hasSize(DATA_KEYS.size());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from webhook_endpoint where id = ?",
                                Long.class,
                                endpoint.path("id").asText())
                        == 0);
    }

    @Test
    void aRefreshTokenNearingItsEndIsAnnouncedOnce() throws Exception {
        JsonNode endpoint = createEndpoint(List.of("connection.expiring"));
        String id = connections.connect(alice, applicationId, "user");
        // the test server's refresh tokens never say when they lapse: this one says it lapses in six days
        Instant lapses = Instant.now().plus(Duration.ofDays(6));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.update(
                                "update webhook_subject set refresh_token_expires_at = ? where connection_id = ?"
                                        + " and status = 'active'",
                                Timestamp.from(lapses),
                                id)
                        == 1);

        // each node also runs this once a minute: whichever run finds it first announces it, and no later one does
        expiring.announceDue();
        assertThat(expiring.announceDue()).isZero();
        JsonNode body = json.readTree(awaitReceived(1).get(0).body());
        assertThat(body.path("type").asText()).isEqualTo("connection.expiring");
        assertThat(body.at("/data/connectionId").asText()).isEqualTo(id);
        assertThat(deliveries(endpoint, null)).hasSize(1);
    }

    @Test
    void aClaimOfANodeThatDiedIsTakenOverAfterItsLease() {
        JsonNode endpoint = createEndpoint(List.of("connection.created"));
        dispatcher.stop();
        List<String> claimedHere = new ArrayList<>();
        try {
            connections.connect(alice, applicationId, "user");
            // a node claims the delivery and dies before it sends or records anything
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                dispatcher.claim(Instant.now(), 1000).forEach(claimed -> claimedHere.add(claimed.id()));
                return !deliveries(endpoint, "pending").isEmpty()
                        && claimedHere.contains(deliveries(endpoint, "pending")
                                .get(0)
                                .path("id")
                                .asText());
            });
        } finally {
            dispatcher.start();
        }
        dispatcher.wake();
        assertThat(receiver.received()).isEmpty();
        MovableClock.advance(Duration.ofSeconds(15)); // the lease (14 s in the tests) has run out
        List<WebhookReceiver.Received> received = awaitReceived(1);
        JsonNode delivered =
                awaitDelivery(endpoint, d -> d.path("status").asText().equals("delivered"));
        assertThat(received.get(0).webhookId())
                .isEqualTo(delivered.path("webhookId").asText());
        assertThat(delivered.path("attempts")).hasSize(1); // the dead node's attempt left no record
    }

    @Test
    void fiveHundredEventsOnFiftyConnectionsArriveInOrderPerConnectionEachSentOnceByTwoInstances() throws Exception {
        createEndpoint(List.of("connection.created", "connection.updated"));
        try (var second = ConcurrentRefreshTest.secondInstance()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(connections.connect(alice, applicationId, "user"));
            }
            var renames = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (String id : ids) {
                done.add(renames.submit(() -> {
                    for (int n = 1; n <= 9; n++) {
                        assertThat(api.patch(alice, "/v1/connections/" + id, Map.of("name", "name-" + n))
                                        .status())
                                .isEqualTo(200);
                    }
                }));
            }
            for (var future : done) {
                future.get();
            }
            renames.shutdown();
            List<WebhookReceiver.Received> received = awaitReceived(500, Duration.ofSeconds(60));

            Map<String, List<String>> namesByConnection = new HashMap<>();
            Set<String> webhookIds = new HashSet<>();
            for (WebhookReceiver.Received request : received) {
                JsonNode body = json.readTree(request.body());
                String name = body.path("type").asText().equals("connection.created")
                        ? "created"
                        : body.at("/data/name").asText();
                namesByConnection
                        .computeIfAbsent(body.at("/data/connectionId").asText(), k -> new ArrayList<>())
                        .add(name);
                webhookIds.add(request.webhookId());
            }
            assertThat(webhookIds).hasSize(500);
            assertThat(namesByConnection).containsOnlyKeys(ids);
            for (List<String> names : namesByConnection.values()) {
                assertThat(names)
                        .containsExactly(
                                "created", "name-1", "name-2", "name-3", "name-4", "name-5", "name-6", "name-7",
                                "name-8", "name-9");
            }
        }
    }

    @Test
    void endpointsAreManagedByServerAdminsAndBadInputIsNamed() {
        String path = "/v1/applications/" + applicationId + "/webhook-endpoints";
        Api.Answer refused = api.post(
                admin,
                path,
                Map.of("url", "http://example.com/hook", "eventTypes", List.of("connection.created", "nope"), "x", 1));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("url", "eventTypes[1]", "x");
        assertThat(api.post(admin, path, Map.of("url", "ftp://127.0.0.1/x")).status())
                .isEqualTo(400);
        assertThat(api.post(admin, path, Map.of("url", receiver.url(), "eventTypes", List.of()))
                        .status())
                .isEqualTo(400);
        assertThat(api.post(alice, path, Map.of("url", receiver.url())).status())
                .isEqualTo(403);
        assertThat(api.post(admin, "/v1/applications/not-installed/webhook-endpoints", Map.of("url", receiver.url()))
                        .status())
                .isEqualTo(404);
        assertThat(api.get(admin, path).body().path("items")).isEmpty();

        JsonNode created = createEndpoint(List.of("connection.created"));
        assertThat(created.path("enabled").asBoolean()).isTrue();
        JsonNode listed = api.get(admin, path).body().path("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();

        Api.Answer changed =
                api.patch(admin, endpointPath(created), java.util.Collections.singletonMap("eventTypes", null));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("eventTypes").isNull()).isTrue();
        Api.Answer disabled = api.patch(admin, endpointPath(created), Map.of("enabled", false, "description", "off"));
        assertThat(disabled.body().path("enabled").asBoolean()).isFalse();
        assertThat(disabled.body().path("description").asText()).isEqualTo("off");
        assertThat(api.patch(admin, endpointPath(created), Map.of("enabled", "yes"))
                        .status())
                .isEqualTo(400);
        assertThat(api.get(admin, endpointPath(created) + "/deliveries?status=lost")
                        .status())
                .isEqualTo(400);

        connections.connect(alice, applicationId, "user");
        assertThat(deliveries(created, null)).isEmpty(); // disabled: nothing is queued for it

        assertThat(api.delete(admin, endpointPath(created)).status()).isEqualTo(204);
        assertThat(api.get(admin, endpointPath(created)).status()).isEqualTo(404);
        assertThat(api.post(admin, endpointPath(created) + "/rotate-secret", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void anEndpointOnAPrivateAddressIsNeverCalledAndTheAttemptSaysWhy() throws Exception {
        Api.Answer created = api.post(
                admin,
                "/v1/applications/" + applicationId + "/webhook-endpoints",
                Map.of("url", "https://10.1.2.3/hooks", "eventTypes", List.of("connection.created")));
        assertThat(created.status()).isEqualTo(201);
        connections.connect(alice, applicationId, "user");
        JsonNode refused = awaitDelivery(created.body(), d -> d.path("attempts").size() == 1);
        assertThat(refused.at("/attempts/0/error").asText()).isEqualTo("address-not-allowed");
        assertThat(refused.path("status").asText()).isEqualTo("pending"); // retried later, as any failure

        String metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(URI.create(PUBLIC_URL + "/actuator/prometheus"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).containsPattern("latchkey_webhook_deliveries_total\\{[^}]*status=\"retrying\"[^}]*} [1-9]");
        assertThat(metrics).contains("latchkey_webhook_oldest_pending_seconds");
    }

    @Test
    void aRedeliveryIsOneMoreAttemptWithTheSameIdAndBody() {
        JsonNode endpoint = createEndpoint(List.of("connection.created"));
        connections.connect(alice, applicationId, "user");
        JsonNode delivered =
                awaitDelivery(endpoint, d -> d.path("status").asText().equals("delivered"));

        receiver.answerNext(500);
        assertThat(api.post(
                                admin,
                                endpointPath(endpoint) + "/deliveries/"
                                        + delivered.path("id").asText() + "/redeliver",
                                null)
                        .status())
                .isEqualTo(202);
        List<WebhookReceiver.Received> received = awaitReceived(2);
        assertThat(received.get(1).webhookId()).isEqualTo(received.get(0).webhookId());
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        JsonNode failed = awaitDelivery(endpoint, d -> d.path("status").asText().equals("failed"));
        assertThat(failed.path("attempts")).hasSize(2);
        assertThat(api.post(admin, endpointPath(endpoint) + "/deliveries/dlv_unknown/redeliver", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void anEventTheDatabaseRefusesAnnouncesNothingAndTheConnectionGoesOn() throws Exception {
        // appended straight to the event store, as the API refuses such text (PoisonEventTest: the view parks it)
        EventFixtures fixtures = new EventFixtures(commands, eventStore, transactionManager);
        WorkspaceId poisoned = WorkspaceId.of("ws-webhook-poison-" + java.util.UUID.randomUUID());
        WebhookEndpoints.Created endpoint =
                endpoints.create(ApplicationId.of("app-fixtures"), receiver.url(), List.of("connection.updated"), null);
        ConnectionId victim = fixtures.activeConnection(poisoned);
        try {
            fixtures.append(List.of(renamed(victim, poisoned, 3, "bad\u0000name")));
            fixtures.append(List.of(renamed(victim, poisoned, 4, "later")));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.received().stream()
                            .anyMatch(r -> r.body().contains(victim.value())
                                    && r.body().contains("\"later\"")));
            List<String> names = new ArrayList<>();
            for (WebhookReceiver.Received request : receiver.received()) {
                JsonNode body = json.readTree(request.body());
                if (body.at("/data/connectionId").asText().equals(victim.value())) {
                    names.add(body.at("/data/name").asText());
                }
            }
            assertThat(names).containsExactly("later");
        } finally {
            endpoints.delete(
                    ApplicationId.of("app-fixtures"), endpoint.endpoint().id());
            // the connection view parked the bad rename: applied again, as PoisonEventTest leaves it
            parkedSequences.retry(victim.value());
            jdbc.update("delete from dead_letter_entry where sequence_identifier = ?", victim.value());
        }
    }

    private static DomainEventMessage<?> renamed(ConnectionId id, WorkspaceId workspace, long sequence, String name) {
        return new GenericDomainEventMessage<>(
                "Connection",
                id.value(),
                sequence,
                new ConnectionRenamed(id, name),
                MetaData.with(AuditMetadata.ACTOR, "system:webhook-poison-test")
                        .and(AuditMetadata.WORKSPACE_ID, workspace.value()));
    }

    private JsonNode createEndpoint(List<String> eventTypes) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", receiver.url());
        if (eventTypes != null) {
            body.put("eventTypes", eventTypes);
        }
        Api.Answer created = api.post(admin, "/v1/applications/" + applicationId + "/webhook-endpoints", body);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        receiver.verifyingWith(created.body().path("secret").asText());
        return created.body();
    }

    private String endpointPath(JsonNode endpoint) {
        return "/v1/applications/" + applicationId + "/webhook-endpoints/"
                + endpoint.path("id").asText();
    }

    private List<JsonNode> deliveries(JsonNode endpoint, String status) {
        Api.Answer answer =
                api.get(admin, endpointPath(endpoint) + "/deliveries" + (status == null ? "" : "?status=" + status));
        assertThat(answer.status()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        answer.body().path("items").forEach(items::add);
        return items;
    }

    /** The endpoint's only delivery, once it satisfies the condition. */
    private JsonNode awaitDelivery(JsonNode endpoint, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<JsonNode> all = deliveries(endpoint, null);
            found[0] = all.isEmpty() ? null : all.get(0);
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    private List<WebhookReceiver.Received> awaitReceived(int count) {
        return awaitReceived(count, Duration.ofSeconds(15));
    }

    private List<WebhookReceiver.Received> awaitReceived(int count, Duration atMost) {
        await().atMost(atMost).until(() -> receiver.received().size() >= count);
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(count);
        return received;
    }

    private void reconnect(String id) {
        Api.Answer again = api.post(alice, "/v1/connections/" + id + "/reconnect", null);
        assertThat(again.status()).isEqualTo(200);
        Browser browser = new Browser();
        URI callback =
                browser.consent(URI.create(again.body().path("authorizeUrl").asText()), provider);
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
    }

    private void setClientSecret(String value) {
        assertThat(api.put(
                                admin,
                                "/v1/applications/" + applicationId + "/server-variables/ACME_CLIENT_SECRET",
                                Map.of("value", value))
                        .status())
                .isEqualTo(204);
    }
}
