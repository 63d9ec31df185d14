package dev.latchkey.app.eventschema;

import static dev.latchkey.app.TestMessages.asCommand;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationFailed;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An AuthorizationFailed of revision 1 (its {@code error} is now {@code reason}), stored as raw JSON the way the
 * earlier code wrote it, still reads through the event store, and its aggregate still takes commands.
 */
class AuthorizationFailedUpcasterTest extends LatchkeySpringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CommandGateway commands;

    @Autowired
    EventStore eventStore;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAuthorizationFailedStoredWithErrorReadsWithReason() {
        ConnectionId id = ConnectionId.random();
        start(id);
        storeRevision1AuthorizationFailed(id, null);

        List<? extends DomainEventMessage<?>> events =
                eventStore.readEvents(id.value()).asStream().toList();

        assertThat(events).hasSize(2);
        assertThat(events.get(1).getPayload())
                .isEqualTo(new AuthorizationFailed(id, "access_denied", FailureKind.GRANT_REVOKED));
    }

    @Test
    void anEventMarkedRevision1IsUpcastTooAndTheAggregateStillTakesCommands() {
        ConnectionId id = ConnectionId.random();
        start(id);
        storeRevision1AuthorizationFailed(id, "1");

        commands.sendAndWait(asCommand(
                new RenameConnection(id, UserWorkspaceId.of("uw-1"), "after the upcast"), "user-1", "ws-upcast"));

        List<? extends DomainEventMessage<?>> events =
                eventStore.readEvents(id.value()).asStream().toList();
        assertThat(events).hasSize(3);
        assertThat(((AuthorizationFailed) events.get(1).getPayload()).reason()).isEqualTo("access_denied");
    }

    @Test
    void newEventsAreStoredWithTheirRevision() throws Exception {
        ConnectionId id = ConnectionId.random();
        start(id);

        assertThat(jdbc.queryForObject(
                        "select payload_revision from domain_event_entry where aggregate_identifier = ?",
                        String.class,
                        id.value()))
                .isEqualTo("1");
        JsonNode payload = JSON.readTree(jdbc.queryForObject(
                "select payload from domain_event_entry where aggregate_identifier = ?", byte[].class, id.value()));
        assertThat(payload.has("workspaceId")).isTrue();
        assertThat(AuthorizationStarted.class
                        .getAnnotation(org.axonframework.serialization.Revision.class)
                        .value())
                .isEqualTo("1");
    }

    @Test
    void theUpcastRenamesTheFieldAndKeepsTheRest() throws Exception {
        JsonNode upcast = AuthorizationFailedUpcaster.errorToReason(
                JSON.readTree("{\"connectionId\":\"c-1\",\"error\":\"invalid_grant\",\"kind\":\"grant-revoked\"}"));

        assertThat(upcast.toString())
                .isEqualTo("{\"connectionId\":\"c-1\",\"kind\":\"grant-revoked\",\"reason\":\"invalid_grant\"}");
    }

    private void start(ConnectionId id) {
        commands.sendAndWait(asCommand(
                new StartAuthorization(
                        id,
                        WorkspaceId.of("ws-upcast"),
                        ApplicationId.of(UUID.randomUUID().toString()),
                        ProviderName.of("linear"),
                        UserWorkspaceId.of("uw-1"),
                        Visibility.WORKSPACE,
                        "Linear",
                        new PendingAuthorization(
                                "state", "binding", null, Instant.now().plus(Duration.ofMinutes(10)), null)),
                "user-1",
                "ws-upcast"));
    }

    /** As the code before revision 2 wrote it: {@code error}, and no revision at all before revisions existed. */
    private void storeRevision1AuthorizationFailed(ConnectionId id, String revision) {
        String payload = "{\"connectionId\":\"" + id + "\",\"error\":\"access_denied\",\"kind\":\"grant-revoked\"}";
        jdbc.update(
                "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
                        + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " values (nextval('domain_event_entry_seq'), ?, ?, 1, 'Connection', ?,"
                        + " 'dev.latchkey.domain.connection.AuthorizationFailed', ?, ?, ?)",
                UUID.randomUUID().toString(),
                id.value(),
                Instant.now().toString(),
                revision,
                payload.getBytes(StandardCharsets.UTF_8),
                "{\"actor\":\"system:oauth-callback\"}".getBytes(StandardCharsets.UTF_8));
    }
}
