package dev.latchkey.app.snapshot;

import static dev.latchkey.app.TestMessages.asCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.replay.EventFixtures;
import dev.latchkey.domain.connection.Connection;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.RefreshDecision;
import dev.latchkey.domain.connection.RefreshToken;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.WorkspaceId;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A connection that has lived through thousands of refreshes loads from a snapshot: as few events are read for it as
 * for a connection created a moment ago, and the state it decides on is the one its events say.
 */
class ConnectionSnapshotTest extends LatchkeySpringTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    EventStore eventStore;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SnapshotThreads snapshotThreads;

    EventFixtures events;

    @BeforeEach
    void fixtures() {
        events = new EventFixtures(commands, eventStore, transactionManager);
    }

    @Test
    void aConnectionWithThousandsOfEventsReadsNoMoreEventsThanANewOne() {
        WorkspaceId workspace = WorkspaceId.of("ws-snapshots");
        ConnectionId fresh = events.activeConnection(workspace);
        ConnectionId heavy = events.activeConnection(workspace);
        int refreshes = 1500;
        long last = events.appendRefreshes(heavy, 3, refreshes); // 3000 events after the first 3
        assertThat(readOnLoad(heavy)).hasSize(3 + 2 * refreshes);
        long snapshotsBefore = snapshotThreads.completed();

        // the first load after those events reads them all and asks for a snapshot, taken after the commit
        commands.sendAndWait(asCommand(
                new RenameConnection(heavy, EventFixtures.OWNER, "well used"), "member-1", workspace.value()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(snapshotSequence(heavy)).isEqualTo(last + 1));

        assertThat(snapshotThreads.completed()).as("taken on a snapshot thread").isGreaterThan(snapshotsBefore);
        List<? extends DomainEventMessage<?>> heavyLoad = readOnLoad(heavy);
        List<? extends DomainEventMessage<?>> freshLoad = readOnLoad(fresh);
        assertThat(heavyLoad.get(0).getPayload()).isInstanceOf(Connection.class);
        assertThat(heavyLoad.size()).isLessThanOrEqualTo(freshLoad.size());

        // unforced (a forced one would be throttled: the fixture's refreshes were just decided), with a window that
        // makes the token due: the decision is taken on the state the snapshot restored
        RefreshDecision decision = commands.sendAndWait(asCommand(
                new RefreshToken(heavy, Duration.ofDays(3650), false, Duration.ofSeconds(30)),
                "member-1",
                workspace.value()));
        assertThat(decision).isInstanceOf(RefreshDecision.Proceed.class);
        RefreshDecision.Proceed proceed = (RefreshDecision.Proceed) decision;
        assertThat(proceed.refreshToken())
                .isEqualTo(EventFixtures.tokens(refreshes).refreshToken());
        assertThat(proceed.decidedAt()).isEqualTo(last + 2);
    }

    @Test
    void aSnapshotOfAnotherRevisionOfTheAggregateIsIgnored() {
        WorkspaceId workspace = WorkspaceId.of("ws-snapshots");
        ConnectionId id = events.activeConnection(workspace);
        long last = events.appendRefreshes(id, 3, 100);
        commands.sendAndWait(
                asCommand(new RenameConnection(id, EventFixtures.OWNER, "renamed"), "member-1", workspace.value()));
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshotSequence(id) != null);
        assertThat(readOnLoad(id)).hasSize(1);

        // as if the aggregate's fields had changed since: @Revision("1") no longer matches
        jdbc.update(
                "update snapshot_event_entry set payload_revision = '0' where aggregate_identifier = ?", id.value());

        assertThat(readOnLoad(id)).hasSize((int) last + 2);
        assertThat(readOnLoad(id).get(0).getPayload()).isNotInstanceOf(Connection.class);
    }

    /** What the repository reads to load the aggregate: the latest snapshot, then the events after it. */
    private List<? extends DomainEventMessage<?>> readOnLoad(ConnectionId id) {
        return eventStore.readEvents(id.value()).asStream().toList();
    }

    private Long snapshotSequence(ConnectionId id) {
        return jdbc.queryForObject(
                "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?",
                Long.class,
                id.value());
    }
}
