package dev.latchkey.app.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.query.connection.ConnectionList;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.FindConnectionsDueForRefresh;
import dev.latchkey.query.connection.RefreshState;
import dev.latchkey.query.connection.RefreshSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.scheduling.TaskScheduler;

/** The background refresh: what it asks the read model for, and that one failing connection stops no other. */
class ScheduledRefreshTest {

    static final Instant NOW = TokenRefresherTest.NOW;
    /** The refresh-ahead: what the aggregate is asked to refresh within, for a row due by it. */
    static final Duration WINDOW = Duration.ofSeconds(60);

    final ConnectionQueries connections = mock(ConnectionQueries.class);
    final TokenRefresher refresher = mock(TokenRefresher.class);
    final TaskScheduler scheduler = mock(TaskScheduler.class);
    final ScheduledRefresh scheduled = new ScheduledRefresh(
            connections, refresher, Clock.fixed(NOW, ZoneOffset.UTC), TokenRefresherTest.PROPERTIES, scheduler);

    static ConnectionRow due(String id) {
        return due(id, NOW.plusSeconds(30));
    }

    static ConnectionRow due(String id, Instant expiresAt) {
        ConnectionView view = new ConnectionView(
                ConnectionId.of(id),
                TokenRefresherTest.TARGET.workspaceId(),
                TokenRefresherTest.TARGET.applicationId(),
                TokenRefresherTest.TARGET.providerName(),
                "Linear #1",
                null,
                Visibility.WORKSPACE,
                UserWorkspaceId.of("uw-alice"),
                List.of(),
                ConnectionStatus.ACTIVE,
                null,
                null,
                NOW,
                NOW,
                expiresAt,
                new RefreshSummary(NOW.minusSeconds(3600), NOW, null, 0, null, null, null));
        return new ConnectionRow(view, null, new RefreshState(null, null, 1L, null), 2);
    }

    @Test
    void everyDueConnectionIsRefreshedOnceAndAFailingOneStopsNoOther() {
        ConnectionRow first = due("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1");
        ConnectionRow second = due("7a2d2d0f-1d63-4a6f-8e1b-7be1a5a4d3b2");
        // the rows whose scheduled refresh has come
        when(connections.handle(new FindConnectionsDueForRefresh(NOW, ScheduledRefresh.BATCH)))
                .thenReturn(new ConnectionList(List.of(first, second)));
        when(refresher.refreshInBackground(eq(ConnectionTarget.of(first)), eq(1L), eq(WINDOW), any(Actor.class)))
                .thenThrow(new IllegalStateException("provider exploded"));
        when(refresher.refreshInBackground(eq(ConnectionTarget.of(second)), eq(1L), eq(WINDOW), any(Actor.class)))
                .thenReturn(new RefreshOutcome.Refreshed());

        assertThat(scheduled.refreshDue()).isEqualTo(2);

        verify(refresher).refreshInBackground(eq(ConnectionTarget.of(first)), eq(1L), eq(WINDOW), any(Actor.class));
        verify(refresher).refreshInBackground(eq(ConnectionTarget.of(second)), eq(1L), eq(WINDOW), any(Actor.class));
    }

    @Test
    void aRowTheJitterMadeDueBeforeTheRefreshAheadIsRefreshedWithinItsExpiry() {
        // due 75 s before it expires: 60 s ahead and 15 s of jitter
        ConnectionRow early = due("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1", NOW.plusSeconds(75));
        when(connections.handle(new FindConnectionsDueForRefresh(NOW, ScheduledRefresh.BATCH)))
                .thenReturn(new ConnectionList(List.of(early)));
        when(refresher.refreshInBackground(any(), any(), any(), any(Actor.class)))
                .thenReturn(new RefreshOutcome.Refreshed());

        scheduled.refreshDue();

        // the aggregate refreshes what expires by then, and answers "not needed" when it holds newer tokens
        verify(refresher)
                .refreshInBackground(
                        eq(ConnectionTarget.of(early)), eq(1L), eq(Duration.ofSeconds(76)), any(Actor.class));
    }

    @Test
    void aRunPagesForwardAndNeverRefreshesARowTwice() {
        List<ConnectionRow> page = IntStream.range(0, ScheduledRefresh.BATCH)
                .mapToObj(i -> due(UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)})
                        .toString()))
                .toList();
        // the first page, and then the same rows again: refreshed rows whose new tokens are still due, or rows that
        // failed without leaving the window
        when(connections.handle(any(FindConnectionsDueForRefresh.class))).thenReturn(new ConnectionList(page));
        when(refresher.refreshInBackground(any(), any(), eq(WINDOW), any(Actor.class)))
                .thenReturn(new RefreshOutcome.Unavailable("timeout", null));

        assertThat(scheduled.refreshDue()).isEqualTo(ScheduledRefresh.BATCH);

        verify(refresher, times(ScheduledRefresh.BATCH))
                .refreshInBackground(any(), any(), eq(WINDOW), any(Actor.class));
        ArgumentCaptor<FindConnectionsDueForRefresh> queries =
                ArgumentCaptor.forClass(FindConnectionsDueForRefresh.class);
        verify(connections, atLeast(2)).handle(queries.capture());
        assertThat(queries.getAllValues().get(0).after()).isNull();
        assertThat(queries.getAllValues().get(1).after())
                .isEqualTo(FindConnectionsDueForRefresh.Cursor.of(page.get(page.size() - 1)));
    }
}
