package dev.latchkey.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ServerVariableUnset;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.query.BatchDelivery;
import dev.latchkey.query.EventLog;
import dev.latchkey.query.TestDatabase;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.connection.ConnectionViewProjection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class ProjectionPositionsTest {

    private static final String VIEW = ConnectionViewProjection.PROCESSING_GROUP;

    private final ProjectionPositions positions = new ProjectionPositions(TestDatabase.jdbc());
    private final EventLog log = new EventLog();

    @BeforeEach
    void emptyTables() {
        TestDatabase.clear();
    }

    @Test
    void batchRecordsTheHighestPositionItApplied() {
        BatchDelivery processor = new BatchDelivery(new ConnectionViewProjection(TestDatabase.jdbc(), positions));
        ConnectionId unknown = ConnectionId.random();

        processor.deliver(log.next(new ConnectionRenamed(unknown, "a")), log.next(new ConnectionRenamed(unknown, "b")));

        assertThat(positions.position(VIEW)).hasValue(log.lastPosition());
    }

    @Test
    void theConnectionViewMovesPastAnApplicationsEventsSoTheUninstallCanWaitForIt() {
        BatchDelivery connectionView = new BatchDelivery(new ConnectionViewProjection(TestDatabase.jdbc(), positions));

        connectionView.deliver(log.next(new ServerVariableUnset(ApplicationId.of("app-1"), "SECRET")));

        assertThat(positions.position(VIEW)).hasValue(log.lastPosition());
        assertThat(TestDatabase.jdbc().queryForObject("SELECT count(*) FROM connection_view", Long.class))
                .isZero();
    }

    @Test
    void theApplicationViewLeavesAConnectionsEventsAlone() {
        BatchDelivery applicationView =
                new BatchDelivery(new ApplicationViewProjection(TestDatabase.jdbc(), positions));

        applicationView.deliver(log.next(new ConnectionRenamed(ConnectionId.random(), "a")));

        assertThat(positions.position(ApplicationViewProjection.PROCESSING_GROUP))
                .isEmpty();
    }

    @Test
    void positionNeverMovesBack() {
        positions.advance(VIEW, 42);

        positions.advance(VIEW, 7);

        assertThat(positions.position(VIEW)).hasValue(42);
    }

    @Test
    void awaitingAPositionAlreadyAppliedAnswersAtOnce() {
        positions.advance(VIEW, 42);

        assertThat(positions.awaitPosition(VIEW, 42, Duration.ZERO)).isTrue();
        assertThat(positions.awaitPosition(VIEW, 41, Duration.ZERO)).isTrue();
    }

    @Test
    void awaitingAPositionNeverAppliedGivesUpAfterTheTimeout() {
        positions.advance(VIEW, 42);

        long started = System.nanoTime();
        boolean reached = positions.awaitPosition(VIEW, 43, Duration.ofMillis(50));

        assertThat(reached).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void awaitingSeesAPositionCommittedByAnotherTransactionMeanwhile() throws Exception {
        positions.advance(VIEW, 1);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> reached = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            return positions.awaitPosition(VIEW, 2, Duration.ofSeconds(20));
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        new TransactionTemplate(new DataSourceTransactionManager(TestDatabase.dataSource()))
                .executeWithoutResult(status -> positions.advance(VIEW, 2));

        assertThat(reached.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPositionCommittedOnThisNodeIsKnownWithoutReadingTheTable() {
        inTransaction(() -> positions.advance(VIEW, 5));
        TestDatabase.jdbc().update("DELETE FROM projection_position");

        assertThat(positions.awaitPosition(VIEW, 5, Duration.ZERO)).isTrue();
        assertThat(new ProjectionPositions(TestDatabase.jdbc()).awaitPosition(VIEW, 5, Duration.ZERO))
                .as("another node knows only the table")
                .isFalse();
    }

    @Test
    void aRolledBackAdvanceIsNotKnown() {
        new TransactionTemplate(new DataSourceTransactionManager(TestDatabase.dataSource()))
                .executeWithoutResult(status -> {
                    positions.advance(VIEW, 5);
                    status.setRollbackOnly();
                });

        assertThat(positions.awaitPosition(VIEW, 5, Duration.ZERO)).isFalse();
    }

    @Test
    void aWaiterOnThisNodeIsWokenByTheCommit() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> reached = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            return positions.awaitPosition(VIEW, 9, Duration.ofSeconds(20));
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        inTransaction(() -> positions.advance(VIEW, 9));

        assertThat(reached.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aForgottenPositionIsNoLongerKnown() {
        inTransaction(() -> positions.advance(VIEW, 5));

        positions.forget(VIEW);

        assertThat(positions.awaitPosition(VIEW, 5, Duration.ZERO)).isFalse();
    }

    private static void inTransaction(Runnable work) {
        new TransactionTemplate(new DataSourceTransactionManager(TestDatabase.dataSource()))
                .executeWithoutResult(status -> work.run());
    }

    @Test
    void projectionThatAppliedNothingHasNoPosition() {
        assertThat(positions.position("nothing-yet")).isEmpty();
        assertThat(positions.awaitPosition("nothing-yet", 0, Duration.ZERO)).isFalse();
    }
}
