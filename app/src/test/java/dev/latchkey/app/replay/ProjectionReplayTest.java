package dev.latchkey.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.security.DevTokenCommand;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The connection view rebuilt by replay, over HTTP, from more than 10,000 events, compared row for row with the view
 * that was built live, while the application keeps answering.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProjectionReplayTest extends LatchkeySpringTest {

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VIEW = ConnectionViewProjection.PROCESSING_GROUP;

    @Autowired
    CommandGateway commands;

    @Autowired
    EventStore eventStore;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProjectionPositions positions;

    @Test
    void theConnectionViewRebuiltFromTenThousandEventsEqualsTheLiveOneRowForRow(CapturedOutput output) {
        List<WorkspaceId> workspaces = List.of(workspace(), workspace(), workspace(), workspace());
        List<List<DomainEventMessage<?>>> histories = new ArrayList<>();
        for (int n = 0; n < 120; n++) {
            histories.add(history(
                    new EventFixtures(commands, eventStore, transactionManager)
                            .newHistory(workspaces.get(n % workspaces.size())),
                    n));
        }
        List<DomainEventMessage<?>> interleaved = interleave(histories);
        assertThat(interleaved).hasSizeGreaterThanOrEqualTo(10_000);
        new EventFixtures(commands, eventStore, transactionManager).append(interleaved);
        long lastOfOurs = jdbc.queryForObject(
                "select max(e.global_index) from domain_event_entry e join connection_workspace w"
                        + " on w.connection_id = e.aggregate_identifier where w.workspace_id like 'ws-replay-%'",
                Long.class);
        await().atMost(Duration.ofMinutes(3))
                .until(() -> positions.position(VIEW).orElse(-1) >= lastOfOurs);
        long headBefore = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        List<String> live = rows("connection_view");
        List<String> liveRevoked = rows("connection_view_revoked");
        assertThat(live).isNotEmpty();
        assertThat(liveRevoked).isNotEmpty();

        Answer started = post("/v1/admin/projections/" + VIEW + "/replay", adminToken());

        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().path("state").asText()).isEqualTo("replaying");
        assertThat(started.json().path("eventsTotal").asLong()).isGreaterThanOrEqualTo(headBefore);
        Answer again = post("/v1/admin/projections/" + VIEW + "/replay", adminToken());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asText()).endsWith("/replay-refused");
        // the application keeps answering while the view is rebuilt: progress, and reads of the other views
        List<Integer> answeredMeanwhile = new ArrayList<>();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Answer progress = get("/v1/admin/projections/" + VIEW, adminToken());
                    answeredMeanwhile.add(progress.status());
                    answeredMeanwhile.add(
                            get("/v1/admin/projections", adminToken()).status());
                    return !progress.json().path("finishedAt").isNull();
                });
        Answer finished = get("/v1/admin/projections/" + VIEW, adminToken());

        assertThat(answeredMeanwhile).containsOnly(200);
        JsonNode progress = finished.json();
        assertThat(progress.path("state").asText()).isEqualTo("live");
        assertThat(progress.path("eventsDone").asLong())
                .isEqualTo(progress.path("eventsTotal").asLong())
                .isGreaterThanOrEqualTo(10_000);
        assertThat(progress.path("secondsLeft").asLong()).isZero();
        double rate = progress.path("eventsPerSecond").asDouble();
        assertThat(rate).isPositive();
        double seconds = Duration.between(
                                Instant.parse(progress.path("startedAt").asText()),
                                Instant.parse(progress.path("finishedAt").asText()))
                        .toMillis()
                / 1000.0;
        log.info(
                "Measured replay of {}: {} events in {} s, {} events/s (endpoint's figure), {} of them ours",
                VIEW,
                progress.path("eventsTotal").asLong(),
                seconds,
                Math.round(rate),
                interleaved.size());

        // rows that no event after the replay started could have touched must be as built live, but for
        // last_position: live, an event committed after a later one is applied with the later one's position (the
        // tracking token's), a replay reads them in order; so the rebuilt one is checked against the store instead
        Set<String> touchedSince = Set.copyOf(jdbc.queryForList(
                "select distinct aggregate_identifier from domain_event_entry where global_index > ?",
                String.class,
                headBefore));
        assertThat(untouched(rows("connection_view"), touchedSince)).isEqualTo(untouched(live, touchedSince));
        assertThat(untouched(rows("connection_view_revoked"), touchedSince))
                .isEqualTo(untouched(liveRevoked, touchedSince));
        assertThat(positions.position(VIEW).orElse(-1)).isGreaterThanOrEqualTo(lastOfOurs);
        for (String table : List.of("connection_view", "connection_view_revoked")) {
            assertThat(jdbc.queryForObject(
                            "select count(*) from " + table + " v join domain_event_entry e"
                                    + " on e.aggregate_identifier = v.connection_id"
                                    + " and e.sequence_number = v.last_sequence"
                                    + " where e.global_index = v.last_position",
                            Long.class))
                    .as("every rebuilt row of %s names the position of its last event", table)
                    .isEqualTo(jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        assertThat(output.getOut())
                .contains("Replay of " + VIEW + " started")
                .contains("Replay of " + VIEW + " finished");
    }

    @Test
    void onlyStreamingProjectionsCanBeReplayedAndOnlyByAnAdmin() {
        assertThat(post("/v1/admin/projections/no-such-view/replay", adminToken())
                        .status())
                .isEqualTo(404);
        assertThat(post("/v1/admin/projections/authorization-states/replay", adminToken())
                        .status())
                .isEqualTo(404);
        assertThat(get("/v1/admin/projections/" + VIEW, token("audit:read")).status())
                .isEqualTo(403);
        assertThat(post("/v1/admin/projections/" + VIEW + "/replay", token("connections:write"))
                        .status())
                .isEqualTo(403);
        Answer list = get("/v1/admin/projections", adminToken());
        assertThat(list.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        list.json()
                .path("items")
                .forEach(item -> names.add(item.path("projection").asText()));
        assertThat(names).contains(VIEW, "application-view").doesNotContain("authorization-states");
    }

    /** A connection's life, varied by {@code n}: about 85 events, mostly refreshes. */
    private static List<DomainEventMessage<?>> history(EventFixtures.History history, int n) {
        history.started("Linear #" + n, n % 2 == 0 ? Visibility.USER : Visibility.WORKSPACE)
                .established(0);
        for (int generation = 1; generation <= 40; generation++) {
            history.refreshed(generation);
            if (generation % 10 == 0 && n % 5 == 0) {
                history.refreshFailed(FailureKind.TRANSIENT);
            }
        }
        if (n % 3 == 0) {
            history.renamed("Renamed #" + n);
        }
        if (n % 4 == 0) {
            history.visibility(n % 8 == 0 ? Visibility.WORKSPACE : Visibility.USER);
        }
        if (n % 7 == 0) {
            history.authFailed();
        }
        if (n % 14 == 0) {
            history.reconnected(41);
        }
        if (n % 10 == 0) {
            history.revoked();
        }
        return history.events();
    }

    /** One event of each connection in turn, each connection's in order: how concurrent members would write. */
    private static List<DomainEventMessage<?>> interleave(List<List<DomainEventMessage<?>>> histories) {
        List<DomainEventMessage<?>> all = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<DomainEventMessage<?>> history : histories) {
                if (i < history.size()) {
                    all.add(history.get(i));
                    any = true;
                }
            }
            if (!any) {
                return all;
            }
        }
    }

    /**
     * The rows of this test's connections. The context and its event store are shared: other tests leave events
     * that the view cannot apply (PoisonEventTest's NUL name), and whether a replay parks such a connection whole or
     * from the bad event on depends on where its batches happen to break, so their rows are not compared here.
     */
    private List<String> rows(String table) {
        return jdbc.queryForList(
                "select (to_jsonb(t) - 'last_position')::text from " + table + " t"
                        + " join connection_workspace w on w.connection_id = t.connection_id"
                        + " where w.workspace_id like 'ws-replay-%' order by t.connection_id",
                String.class);
    }

    private static List<String> untouched(List<String> rows, Set<String> touched) {
        return rows.stream()
                .filter(row -> {
                    try {
                        return !touched.contains(
                                JSON.readTree(row).path("connection_id").asText());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private static WorkspaceId workspace() {
        return WorkspaceId.of("ws-replay-" + UUID.randomUUID());
    }

    private static String adminToken() {
        return token("apps:admin");
    }

    private static String token(String scope) {
        Map<String, String> claims = new HashMap<>();
        claims.put("sub", "admin-1");
        claims.put("scope", scope);
        return DevTokenCommand.mint(claims, TEST_JWT_SECRET.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private static Answer get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(PUBLIC_URL + path)).GET(), token);
    }

    private static Answer post(String path, String token) {
        return send(
                HttpRequest.newBuilder(URI.create(PUBLIC_URL + path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private static Answer send(HttpRequest.Builder request, String token) {
        try {
            HttpResponse<String> response = HTTP.send(
                    request.timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
