package dev.latchkey.app.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.TaskScheduler;

/** The background refresh: what it asks the read model for, and that one failing connection stops no other. */
class ScheduledRefreshTest {

    static final Instant NOW = TokenRefresherTest.NOW;

    final ConnectionQueries connections = mock(ConnectionQueries.class);
    final TokenRefresher refresher = mock(TokenRefresher.class);
    final TaskScheduler scheduler = mock(TaskScheduler.class);
    final ScheduledRefresh scheduled = new ScheduledRefresh(
            connections, refresher, Clock.fixed(NOW, ZoneOffset.UTC), TokenRefresherTest.PROPERTIES, scheduler);

    static ConnectionRow due(String id) {
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
                NOW.plusSeconds(30));
        return new ConnectionRow(view, null, null, 2);
    }

    @Test
    void everyDueConnectionIsRefreshedOnceAndAFailingOneStopsNoOther() {
        ConnectionRow first = due("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1");
        ConnectionRow second = due("7a2d2d0f-1d63-4a6f-8e1b-7be1a5a4d3b2");
        // ahead (60 s) plus the interval (30 s): what expires before the next run
        when(connections.handle(new FindConnectionsDueForRefresh(NOW.plusSeconds(90), NOW, ScheduledRefresh.BATCH)))
                .thenReturn(new ConnectionList(List.of(first, second)));
        when(refresher.refresh(eq(ConnectionTarget.of(first)), eq(false), any(Actor.class)))
                .thenThrow(new IllegalStateException("provider exploded"));
        when(refresher.refresh(eq(ConnectionTarget.of(second)), eq(false), any(Actor.class)))
                .thenReturn(new RefreshOutcome.Refreshed());

        assertThat(scheduled.refreshDue()).isEqualTo(2);

        verify(refresher).refresh(eq(ConnectionTarget.of(first)), eq(false), any(Actor.class));
        verify(refresher).refresh(eq(ConnectionTarget.of(second)), eq(false), any(Actor.class));
    }
}
