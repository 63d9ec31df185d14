package dev.latchkey.bench.server;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.latchkey.app.flow.ScheduledRefresh;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.FindConnectionsDueForRefresh;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Benchmark 2: one {@link ScheduledRefresh#refreshDue()} run over every connection due, the provider answering in
 * 100 ms, while a sampler watches the Hikari pool and the number of exchanges waiting on the provider.
 */
@Component
class RefreshBench {

    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ScheduledRefresh scheduledRefresh;
    private final ConnectionQueries connections;
    private final ShiftableClock clock;
    private final ExchangeProbe probe;
    private final HikariDataSource dataSource;
    private final PhaseTimes phases;
    private final Meter meter;

    RefreshBench(
            ScheduledRefresh scheduledRefresh,
            ConnectionQueries connections,
            Clock clock,
            ProviderExchange exchange,
            DataSource dataSource,
            PhaseTimes phases,
            Meter meter)
            throws Exception {
        this.phases = phases;
        this.meter = meter;
        this.scheduledRefresh = scheduledRefresh;
        this.connections = connections;
        this.clock = (ShiftableClock) clock;
        this.probe = (ExchangeProbe) exchange;
        this.dataSource = dataSource.unwrap(HikariDataSource.class);
    }

    int due() {
        Instant now = clock.instant();
        return connections
                .handle(new FindConnectionsDueForRefresh(now, 100_000))
                .items()
                .size();
    }

    /**
     * Moves the clock by {@code shift} and nothing else: the tokens then due wait for a read (benchmark 2b).
     *
     * @return the application's time now
     */
    Instant shift(Duration shift) {
        clock.advance(shift);
        return clock.instant();
    }

    /** Moves the clock by {@code shift} (so tokens that were fresh are due), then refreshes everything due. */
    Map<String, Object> run(Duration shift) throws InterruptedException {
        clock.advance(shift);
        int dueBefore = due();
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        probe.reset();
        phases.reset();
        List<int[]> samples = Collections.synchronizedList(new ArrayList<>());
        int[] maxAwaiting = {0};
        Thread sampler = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        int waiting = probe.inFlight();
                        int active = pool.getActiveConnections();
                        maxAwaiting[0] = Math.max(maxAwaiting[0], pool.getThreadsAwaitingConnection());
                        if (waiting > 0) {
                            samples.add(new int[] {waiting, active});
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(SAMPLE_NANOS);
                    }
                },
                "bench-hikari-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Meter.Reading before = meter.read();
        long start = System.nanoTime();
        int found = scheduledRefresh.refreshDue();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> cost = meter.since(before, probe.exchanges());
        sampler.interrupt();
        sampler.join(1000);

        List<Integer> waiting = new ArrayList<>();
        List<Integer> active = new ArrayList<>();
        int moreWaitingThanActive = 0;
        synchronized (samples) {
            for (int[] sample : samples) {
                waiting.add(sample[0]);
                active.add(sample[1]);
                if (sample[0] > sample[1]) {
                    moreWaitingThanActive++;
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dueBefore", dueBefore);
        result.put("found", found);
        result.put("exchanges", probe.exchanges());
        result.put("exchangesEnteredHoldingDatabase", probe.enteredHoldingDatabase());
        result.put("exchangeMillisMean", probe.meanExchangeMillis());
        result.put("phases", phases.summary());
        result.put("seconds", seconds);
        result.put("perSecond", probe.exchanges() / seconds);
        result.put("dueAfter", due());
        result.put("samplesWhileWaiting", waiting.size());
        result.put("samplesWithMoreWaitingThanActive", moreWaitingThanActive);
        result.put("waitingMedian", median(waiting));
        result.put("waitingMax", waiting.stream().mapToInt(i -> i).max().orElse(0));
        result.put("activeWhileWaitingMedian", median(active));
        result.put(
                "activeWhileWaitingMax", active.stream().mapToInt(i -> i).max().orElse(0));
        result.put("threadsAwaitingConnectionMax", maxAwaiting[0]);
        result.put("poolSize", dataSource.getMaximumPoolSize());
        result.put("workers", workers());
        result.put("cost", cost);
        return result;
    }

    /** The scheduler's worker threads ({@code scheduled-refresh-N}): how many the row-lock peer runs too. */
    static int workers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("scheduled-refresh-"))
                .count();
    }

    private static int median(List<Integer> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
