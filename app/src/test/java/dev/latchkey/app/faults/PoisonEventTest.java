package dev.latchkey.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.deadletter.ParkedSequences;
import dev.latchkey.app.journey.Api;
import dev.latchkey.app.replay.EventFixtures;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionViewProjection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
 * An event the connection view cannot apply (appended straight to the event store, as the API refuses such text)
 * parks that connection's events and nothing else: other connections are still projected, the parked connection's
 * later events wait behind the bad one, health and the admin endpoints show it, and a retry applies it once fixed.
 */
class PoisonEventTest extends LatchkeySpringTest {

    private static final Duration PROJECTED = Duration.ofSeconds(30);

    @Autowired
    CommandGateway commands;

    @Autowired
    EventStore eventStore;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ParkedSequences parkedSequences;

    private final Api api = new Api(PUBLIC_URL);
    private EventFixtures fixtures;
    private final List<ConnectionId> parkedHere = new java.util.ArrayList<>();

    @BeforeEach
    void fixtures() {
        fixtures = new EventFixtures(commands, eventStore, transactionManager);
    }

    @AfterEach
    void forgetWhatThisTestParked() {
        // the context is shared: leave no parked sequence and no trigger behind
        jdbc.execute("drop trigger if exists poison_probe on connection_view");
        jdbc.execute("drop function if exists poison_probe()");
        jdbc.execute("drop table if exists poison_probe_refused");
        // a retry applies a sequence's parked events in one batch (the bad name folds under the later one), so the
        // view agrees with the event store again, as a replay of it would (ProjectionReplayTest compares them)
        parkedHere.forEach(id -> parkedSequences.retry(id.value()));
        parkedHere.forEach(
                id -> jdbc.update("delete from dead_letter_entry where sequence_identifier = ?", id.value()));
    }

    @Test
    void aNulInANameParksThatConnectionWhileEveryOtherWorkspaceGoesOn() {
        WorkspaceId poisoned = WorkspaceId.of("ws-poison-" + UUID.randomUUID());
        ConnectionId victim = fixtures.activeConnection(poisoned);
        parkedHere.add(victim);
        awaitProjected(victim, 2);

        // the connection's last event, so no later event of the same batch folds the bad name away
        fixtures.append(List.of(renamed(victim, poisoned, 3, "bad\u0000name")));

        WorkspaceId other = WorkspaceId.of("ws-bystander-" + UUID.randomUUID());
        ConnectionId bystander = fixtures.activeConnection(other);
        String member = Api.token(
                "sub", "user:uw-owner", "wid", other.value(), "uwid", "uw-owner", "scope", "connections:read");
        await().atMost(PROJECTED)
                .untilAsserted(() -> assertThat(api.get(member, "/v1/connections/" + bystander.value())
                                .status())
                        .as(() -> state(victim))
                        .isEqualTo(200));
        await().atMost(PROJECTED)
                .untilAsserted(
                        () -> assertThat(parked(victim)).as(() -> state(victim)).isEqualTo(1));

        // parked, not applied out of order: a later event of the connection waits behind the bad one
        fixtures.append(List.of(renamed(victim, poisoned, 4, "later")));
        await().atMost(PROJECTED)
                .untilAsserted(
                        () -> assertThat(parked(victim)).as(() -> state(victim)).isEqualTo(2));
        assertThat(viewRow(victim)).containsExactly("Linear", 2L);

        JsonNode sequence = listedSequence(victim);
        assertThat(sequence.path("processingGroup").asText()).isEqualTo(ConnectionViewProjection.PROCESSING_GROUP);
        assertThat(sequence.path("eventType").asText()).isEqualTo("ConnectionRenamed");
        assertThat(sequence.path("count").asInt()).isEqualTo(2);
        assertThat(sequence.path("causeType").asText()).isNotBlank();
        assertThat(sequence.path("message").asText())
                .contains("SQLState 22021")
                .doesNotContain("bad")
                .doesNotContain("later");

        await().atMost(PROJECTED).untilAsserted(() -> {
            Api.Answer health = api.get(null, "/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            JsonNode view = health.body()
                    .at("/components/eventProcessors/details/" + ConnectionViewProjection.PROCESSING_GROUP);
            assertThat(view.path("status").asText()).isEqualTo("UP");
            assertThat(view.path("parked").asLong()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void aRetryAfterTheCauseIsFixedAppliesTheParkedEventsInOrder() {
        // the view refuses every row of the connections listed here, as a constraint an operator fixes would
        jdbc.execute("create table if not exists poison_probe_refused (connection_id varchar(255) primary key)");
        jdbc.execute("""
                create or replace function poison_probe() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from poison_probe_refused where connection_id = new.connection_id) then
                        raise exception 'refused by the test' using errcode = '23514';
                    end if;
                    return new;
                end $$""");
        jdbc.execute("create trigger poison_probe before insert or update on connection_view"
                + " for each row execute function poison_probe()");
        WorkspaceId workspace = WorkspaceId.of("ws-retry-" + UUID.randomUUID());
        ConnectionId victim = fixtures.activeConnection(workspace);
        parkedHere.add(victim);
        awaitProjected(victim, 2);
        jdbc.update("insert into poison_probe_refused values (?)", victim.value());

        fixtures.append(List.of(renamed(victim, workspace, 3, "first")));
        await().atMost(PROJECTED)
                .untilAsserted(
                        () -> assertThat(parked(victim)).as(() -> state(victim)).isEqualTo(1));
        fixtures.append(List.of(renamed(victim, workspace, 4, "applied-after")));
        await().atMost(PROJECTED)
                .untilAsserted(
                        () -> assertThat(parked(victim)).as(() -> state(victim)).isEqualTo(2));

        Api.Answer stillFailing = api.post(admin(), "/v1/admin/dead-letters/" + victim.value() + "/retry", null);
        assertThat(stillFailing.status()).isEqualTo(200);
        assertThat(stillFailing.body().path("outcome").asText()).isEqualTo("still-parked");
        assertThat(parked(victim)).isEqualTo(2);
        assertThat(viewRow(victim)).containsExactly("Linear", 2L);

        jdbc.update("delete from poison_probe_refused where connection_id = ?", victim.value());
        Api.Answer retried = api.post(admin(), "/v1/admin/dead-letters/" + victim.value() + "/retry", null);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("outcome").asText()).isEqualTo("applied");
        assertThat(parked(victim)).isZero();
        assertThat(viewRow(victim)).containsExactly("applied-after", 4L);
        assertThat(api.get(admin(), "/v1/admin/dead-letters")
                        .body()
                        .path("items")
                        .findValuesAsText("sequenceId"))
                .doesNotContain(victim.value());

        // and the connection is live again: its next event is applied, not parked
        fixtures.append(List.of(renamed(victim, workspace, 5, "live-again")));
        awaitProjected(victim, 5);
        assertThat(parked(victim)).isZero();
    }

    @Test
    void theDeadLetterEndpointsAskForTheAdminScope() {
        String member = Api.token("sub", "user:uw-1", "wid", "ws-1", "uwid", "uw-1", "scope", "connections:read");
        assertThat(api.get(member, "/v1/admin/dead-letters").status()).isEqualTo(403);
        assertThat(api.post(member, "/v1/admin/dead-letters/x/retry", null).status())
                .isEqualTo(403);
        assertThat(api.get(null, "/v1/admin/dead-letters").status()).isEqualTo(401);
    }

    @Test
    void retryingASequenceThatIsNotParkedAnswers404() {
        assertThat(api.post(admin(), "/v1/admin/dead-letters/" + UUID.randomUUID() + "/retry", null)
                        .status())
                .isEqualTo(404);
    }

    private static String admin() {
        return Api.token("sub", "admin-1", "scope", "apps:admin");
    }

    private static DomainEventMessage<?> renamed(ConnectionId id, WorkspaceId workspace, long sequence, String name) {
        return new GenericDomainEventMessage<>(
                "Connection",
                id.value(),
                sequence,
                new ConnectionRenamed(id, name),
                MetaData.with(AuditMetadata.ACTOR, "system:poison-test")
                        .and(AuditMetadata.WORKSPACE_ID, workspace.value()));
    }

    private void awaitProjected(ConnectionId id, long sequence) {
        await().atMost(PROJECTED)
                .untilAsserted(() -> assertThat(viewRow(id)).element(1).isEqualTo(sequence));
    }

    /** The row's name and last sequence; empty while the row is not there (yet). */
    private List<Object> viewRow(ConnectionId id) {
        return jdbc
                .query(
                        "select name, last_sequence from connection_view where connection_id = ?",
                        (rs, n) -> List.<Object>of(rs.getString(1), rs.getLong(2)),
                        id.value())
                .stream()
                .findFirst()
                .orElse(List.of());
    }

    /** What a failure should say: where the view is, and what it holds of the connection. */
    private String state(ConnectionId id) {
        return "view row " + viewRow(id) + ", view position "
                + jdbc.queryForList("select name, position from projection_position")
                + ", events of the connection "
                + jdbc.queryForList(
                        "select global_index, sequence_number, payload_type from domain_event_entry"
                                + " where aggregate_identifier = ? order by global_index",
                        id.value())
                + ", head " + jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
    }

    private long parked(ConnectionId id) {
        return jdbc.queryForObject(
                "select count(*) from dead_letter_entry where processing_group = ? and sequence_identifier = ?",
                Long.class,
                ConnectionViewProjection.PROCESSING_GROUP,
                id.value());
    }

    private JsonNode listedSequence(ConnectionId id) {
        Api.Answer list = api.get(admin(), "/v1/admin/dead-letters");
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode item : list.body().path("items")) {
            if (item.path("sequenceId").asText().equals(id.value())) {
                return item;
            }
        }
        throw new AssertionError("sequence " + id.value() + " is not listed: " + list.body());
    }
}
