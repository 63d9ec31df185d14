package dev.latchkey.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.bench.server.ConnectionSeeder.Owner;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.Visibility;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The event store seen from plain JDBC: histories written straight into {@code domain_event_entry} (serialized by
 * Axon's own event serializer, numbered by the same sequence, exactly as Axon would have appended them, but without
 * paying for a command per event), counts, and the sequential read that is benchmark 4's baseline.
 */
@Component
class StoredEvents {

    private static final String INSERT = """
        INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
            type, time_stamp, payload_type, payload_revision, payload, meta_data)
        VALUES (nextval('domain_event_entry_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)\
        """;

    private static final int CHUNK = 10_000;

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ConnectionSeeder seeder;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    StoredEvents(
            JdbcTemplate jdbc,
            @Qualifier("eventSerializer") Serializer serializer,
            ConnectionSeeder seeder,
            Clock clock) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.seeder = seeder;
        this.clock = clock;
    }

    private record Event(String aggregateId, long sequence, Object payload, MetaData metaData) {}

    /** Writes one active Connection with exactly {@code events} events (at least 3): a long-lived one refreshes. */
    ConnectionId history(Owner owner, int events) {
        ConnectionId id = ConnectionId.random();
        insert(historyOf(owner, id, events));
        return id;
    }

    /** Adds connections of 10 events each until the store holds {@code total} events; answers how many it added. */
    long fillTo(Owner owner, long total) {
        long added = 0;
        long missing;
        while ((missing = total - count()) > 0) {
            List<Event> chunk = new ArrayList<>();
            while (chunk.size() < CHUNK && chunk.size() < missing) {
                long left = missing - chunk.size();
                int size = (int) Math.min(10, left);
                if (left - size > 0 && left - size < 3) {
                    size = (int) (left - 3); // a history has at least 3 events: leave the last one that many
                }
                chunk.addAll(historyOf(owner, ConnectionId.random(), Math.max(size, 3)));
            }
            insert(chunk);
            added += chunk.size();
        }
        return added;
    }

    private List<Event> historyOf(Owner owner, ConnectionId id, int events) {
        MetaData metaData = MetaData.from(Map.of(
                AuditMetadata.ACTOR,
                "bench:seed",
                AuditMetadata.WORKSPACE_ID,
                owner.workspace().value(),
                AuditMetadata.CORRELATION_ID,
                UUID.randomUUID().toString(),
                "traceId",
                UUID.randomUUID().toString()));
        String state = AuthorizationSecrets.digest(UUID.randomUUID().toString());
        TokenSet tokens = seeder.tokens(owner.workspace(), id, Duration.ofDays(30));
        List<Event> history = new ArrayList<>(events);
        history.add(new Event(
                id.value(),
                0,
                new AuthorizationStarted(
                        id,
                        owner.workspace(),
                        owner.application(),
                        owner.provider(),
                        owner.person(),
                        Visibility.WORKSPACE,
                        "History of " + events,
                        new PendingAuthorization(
                                state,
                                AuthorizationSecrets.digest(UUID.randomUUID().toString()),
                                null,
                                clock.instant().plus(Duration.ofMinutes(10)),
                                null)),
                metaData));
        history.add(new Event(id.value(), 1, new CallbackAccepted(id, state), metaData));
        history.add(new Event(id.value(), 2, new ConnectionEstablished(id, tokens, null), metaData));
        long sequence = 3;
        while (sequence < events) {
            if (events - sequence >= 2) {
                Instant lease = clock.instant().plus(Duration.ofSeconds(30));
                history.add(new Event(id.value(), sequence, new RefreshStarted(id, lease), metaData));
                history.add(new Event(id.value(), sequence + 1, new TokensRefreshed(id, sequence, tokens), metaData));
                sequence += 2;
            } else {
                history.add(new Event(id.value(), sequence, new ConnectionRenamed(id, "Renamed"), metaData));
                sequence++;
            }
        }
        return history;
    }

    private void insert(List<Event> events) {
        String type = aggregateType();
        String timestamp = DateTimeUtils.formatInstant(clock.instant());
        jdbc.batchUpdate(INSERT, events, 1000, (ps, event) -> {
            SerializedObject<byte[]> payload = serializer.serialize(event.payload(), byte[].class);
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, event.aggregateId());
            ps.setLong(3, event.sequence());
            ps.setString(4, type);
            ps.setString(5, timestamp);
            ps.setString(6, payload.getType().getName());
            ps.setString(7, payload.getType().getRevision());
            ps.setBytes(8, payload.getData());
            ps.setBytes(9, serializer.serialize(event.metaData(), byte[].class).getData());
        });
    }

    /** The aggregate type Axon itself writes for a Connection's events. */
    private String aggregateType() {
        List<String> types = jdbc.queryForList(
                "SELECT type FROM domain_event_entry WHERE payload_type = ? LIMIT 1",
                String.class,
                AuthorizationStarted.class.getName());
        return types.isEmpty() ? "Connection" : types.get(0);
    }

    long count() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    long head() {
        Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }

    long snapshots() {
        return jdbc.queryForObject("SELECT count(*) FROM snapshot_event_entry", Long.class);
    }

    String postgresVersion() {
        return jdbc.queryForObject("SHOW server_version", String.class);
    }

    /**
     * Benchmark 4's baseline: every event in global order through one cursor, payload and metadata parsed as JSON.
     *
     * @return how many events were read
     */
    long readAll() {
        return jdbc.execute((ConnectionCallback<Long>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = connection.prepareStatement("""
                SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload_revision, payload, meta_data
                FROM domain_event_entry ORDER BY global_index\
                """)) {
                ps.setFetchSize(1000);
                long read = 0;
                long fields = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                        rs.getString(2);
                        rs.getString(3);
                        rs.getLong(4);
                        rs.getString(6);
                        rs.getString(7);
                        JsonNode payload = json.readTree(rs.getBytes(9));
                        JsonNode metaData = json.readTree(rs.getBytes(10));
                        fields += payload.size() + metaData.size();
                        read++;
                    }
                }
                connection.commit();
                return fields < 0 ? -1 : read; // uses what was parsed, so none of it is optimised away
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable event", e);
            } finally {
                restore(connection, autoCommit);
            }
        });
    }

    private static void restore(Connection connection, boolean autoCommit) throws java.sql.SQLException {
        connection.rollback();
        connection.setAutoCommit(autoCommit);
    }
}
