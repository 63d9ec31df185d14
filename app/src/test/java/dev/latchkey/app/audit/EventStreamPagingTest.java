package dev.latchkey.app.audit;

import static dev.latchkey.app.audit.AuditFixtures.activeConnection;
import static dev.latchkey.app.audit.AuditFixtures.get;
import static dev.latchkey.app.audit.AuditFixtures.newWorkspace;
import static dev.latchkey.app.audit.AuditFixtures.rename;
import static dev.latchkey.app.audit.AuditFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.audit.AuditFixtures.Answer;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Paging /v1/events while events are being written. Global indexes are drawn when an event is appended and become
 * visible when its transaction commits, in any order; a page must never pass an index that is still in flight.
 */
class EventStreamPagingTest extends LatchkeySpringTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aPageStopsBelowAnAppendThatHasNotCommittedYet() throws Exception {
        WorkspaceId workspace = newWorkspace();
        ConnectionId slow = activeConnection(commands, workspace, "alice");
        ConnectionId fast = activeConnection(commands, workspace, "bob");
        String token = token("audit:read", workspace);
        long start = get("/v1/events?limit=1000", token).json().path("next").asLong();

        long held;
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            held = appendRename(writer, slow, 5, "renamed while slow"); // drawn now, committed below
            rename(commands, workspace, fast, "renamed quickly"); // drawn after, committed first
            long quick = lastPosition(fast);
            assertThat(quick).isGreaterThan(held);

            Answer whileHeld = get("/v1/events?after=" + start, token);

            assertThat(whileHeld.status()).isEqualTo(200);
            assertThat(positions(whileHeld)).allMatch(position -> position < held);
            assertThat(whileHeld.json().path("next").asLong()).isLessThan(held);
            writer.commit();
        }

        Answer afterCommit = get("/v1/events?after=" + start, token);
        assertThat(positions(afterCommit)).containsExactly(held, lastPosition(fast));
    }

    @Test
    void concurrentWritersArePagedWithoutSkipsOrRepeats() throws Exception {
        WorkspaceId workspace = newWorkspace();
        int writers = 4;
        int renamesEach = 40;
        List<ConnectionId> connections = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            connections.add(activeConnection(commands, workspace, "writer-" + i));
        }
        String token = token("audit:read", workspace);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> read = new ArrayList<>();
        long after = 0;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ConnectionId connection : connections) {
                done.add(pool.submit(() -> {
                    for (int n = 0; n < renamesEach; n++) {
                        rename(commands, workspace, connection, "name " + n);
                    }
                }));
            }
            pool.submit(() -> {
                for (Future<?> writer : done) {
                    try {
                        writer.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                writing.set(false);
            });
            // read along while the writers write, small pages, then until nothing more comes
            int emptyAfterWriters = 0;
            while (emptyAfterWriters < 2) {
                boolean stillWriting = writing.get();
                Answer page = get("/v1/events?after=" + after + "&limit=7", token);
                assertThat(page.status()).isEqualTo(200);
                List<Long> positions = positions(page);
                read.addAll(positions);
                after = page.json().path("next").asLong();
                if (!stillWriting && positions.isEmpty()) {
                    emptyAfterWriters++;
                }
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Long> stored = jdbc.queryForList(
                "select e.global_index from domain_event_entry e join connection_workspace w"
                        + " on w.connection_id = e.aggregate_identifier where w.workspace_id = ?"
                        + " order by e.global_index",
                Long.class,
                workspace.value());
        assertThat(stored).hasSize(writers * (5 + renamesEach));
        assertThat(read).as("every event once, in order").containsExactlyElementsOf(stored);
    }

    @Test
    void aReadWaitsNoLongerThanTheSettleTimeoutForAStuckTransaction() throws Exception {
        WorkspaceId workspace = newWorkspace();
        ConnectionId slow = activeConnection(commands, workspace, "alice");
        String token = token("audit:read", workspace);
        long start = get("/v1/events?limit=1000", token).json().path("next").asLong();
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            appendRename(writer, slow, 5, "stuck");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Answer answer = get("/v1/events?after=" + start, token);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().path("events")).isEmpty();
            });
            writer.rollback();
        }
    }

    /** Appends ConnectionRenamed as Axon would, in the caller's transaction; returns its global index. */
    private static long appendRename(Connection connection, ConnectionId id, long sequence, String name)
            throws Exception {
        long index;
        try (PreparedStatement next = connection.prepareStatement("select nextval('domain_event_entry_seq')");
                ResultSet rs = next.executeQuery()) {
            rs.next();
            index = rs.getLong(1);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
                        + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " values (?, ?, ?, ?, 'Connection', ?, 'dev.latchkey.domain.connection.ConnectionRenamed',"
                        + " '1', ?, ?)")) {
            insert.setLong(1, index);
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, id.value());
            insert.setLong(4, sequence);
            insert.setString(5, Instant.now().toString());
            insert.setBytes(
                    6,
                    ("{\"connectionId\":\"" + id + "\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
            insert.setBytes(7, "{\"actor\":\"slow-writer\"}".getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
        return index;
    }

    private long lastPosition(ConnectionId id) {
        return jdbc.queryForObject(
                "select max(global_index) from domain_event_entry where aggregate_identifier = ?",
                Long.class,
                id.value());
    }

    private static List<Long> positions(Answer answer) {
        List<Long> positions = new ArrayList<>();
        for (JsonNode event : answer.json().path("events")) {
            positions.add(event.path("position").asLong());
        }
        return positions;
    }
}
