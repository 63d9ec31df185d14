package dev.latchkey.app.flow;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.FindConnectionsDueForRefresh;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Refreshes, in the background, the tokens whose scheduled refresh is due ({@code nextRefreshAt}: the access token's
 * expiry less the refresh-ahead and a jitter, see the connection view), so readers seldom wait for a provider. Every
 * node may run it: the aggregate's lease lets one refresh per connection through, and a row the view shows late
 * (refreshed already) is answered "not needed" by the aggregate, which holds the newer expiry.
 *
 * <p>A run reads only the rows due, through the view's partial index on {@code next_refresh_at}: connections that are
 * not due cost nothing, however many there are. It pages forward through them once and never takes one twice: a row
 * that failed, is deferred or is in flight elsewhere moves its {@code next_refresh_at} past its backoff or lease and
 * waits for that. It runs {@code latchkey.scheduled-refresh-parallelism} refreshes at once.
 */
@Component
public class ScheduledRefresh implements DisposableBean {

    static final int BATCH = 200;
    /** A run ends after this many batches even if more are due; the next run goes on. */
    static final int MAX_BATCHES = 25;

    private static final Logger log = LoggerFactory.getLogger(ScheduledRefresh.class);

    private final ConnectionQueries connections;
    private final TokenRefresher refresher;
    private final Clock clock;
    private final Duration refreshAhead;
    private final Duration interval;
    private final ExecutorService workers;

    public ScheduledRefresh(
            ConnectionQueries connections,
            TokenRefresher refresher,
            Clock clock,
            LatchkeyProperties properties,
            TaskScheduler scheduler) {
        this.connections = connections;
        this.refresher = refresher;
        this.clock = clock;
        this.refreshAhead = properties.refreshAhead();
        this.interval = properties.scheduledRefreshInterval();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(properties.scheduledRefreshParallelism(), task -> {
            Thread thread = new Thread(task, "scheduled-refresh-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (!interval.isZero()) {
            scheduler.scheduleWithFixedDelay(this::refreshDue, interval);
        }
    }

    /** @return how many connections were found due */
    public int refreshDue() {
        Set<ConnectionId> seen = new HashSet<>();
        FindConnectionsDueForRefresh.Cursor after = null;
        int total = 0;
        int batches = 0;
        try {
            List<ConnectionRow> due;
            do {
                Instant now = clock.instant();
                due = connections
                        .handle(new FindConnectionsDueForRefresh(now, BATCH, after))
                        .items();
                if (due.isEmpty()) {
                    break;
                }
                after = FindConnectionsDueForRefresh.Cursor.of(due.get(due.size() - 1));
                List<ConnectionRow> fresh = due.stream()
                        .filter(row -> seen.add(row.connection().id()))
                        .toList();
                total += fresh.size();
                CompletableFuture.allOf(fresh.stream()
                                .map(row -> CompletableFuture.runAsync(() -> refresh(row, now), workers))
                                .toArray(CompletableFuture[]::new))
                        .join();
            } while (due.size() == BATCH && ++batches < MAX_BATCHES);
        } catch (RuntimeException e) {
            log.warn("scheduled refresh stopped early: {}", e.getClass().getSimpleName());
        }
        return total;
    }

    private void refresh(ConnectionRow row, Instant now) {
        // the jitter may schedule a refresh before the refresh-ahead window: the aggregate is asked to refresh what is
        // due by the time this row shows (expiry or keep-alive), and finds newer tokens not needing it
        Instant dueAt =
                earliest(row.connection().accessTokenExpiresAt(), row.refresh().refreshBy());
        Duration untilDue = dueAt == null ? Duration.ZERO : Duration.between(now, dueAt);
        Duration ahead = untilDue.compareTo(refreshAhead) > 0 ? untilDue.plusSeconds(1) : refreshAhead;
        try {
            // nobody reads the answer: the scheduler does not wait for the views to show it
            refresher.refreshInBackground(
                    ConnectionTarget.of(row),
                    row.refresh().tokensRecordedAt(),
                    ahead,
                    Actor.system("scheduled-refresh", row.connection().workspaceId()));
        } catch (RuntimeException e) {
            log.warn(
                    "scheduled refresh of connection {} failed: {}",
                    row.connection().id(),
                    e.getClass().getSimpleName());
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
