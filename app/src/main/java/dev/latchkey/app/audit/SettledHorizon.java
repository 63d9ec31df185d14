package dev.latchkey.app.audit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The highest global index at or below which the event log is settled: every event there that will ever exist is
 * committed and visible. Paging by global index is safe only below it.
 *
 * <p>Global indexes come from {@code domain_event_entry_seq} when an event is appended (the column's default, V60:
 * the insert draws it inside the appending transaction), but become visible when its transaction commits, and
 * transactions commit in any order: index 11 can be visible while index 10 is still in flight (or will roll back and
 * leave a gap for good). A page ending at 11 would then skip 10 forever.
 *
 * <p>So: read the last index the sequence handed out, then the set of transactions running at that moment (each
 * holds a lock on its own virtual transaction id for its whole life, with or without a real transaction id, which
 * {@code pg_locks} shows to every user). Any transaction that drew an index up to that one drew it before, so it is
 * in the set or already finished. Once every transaction of the set has finished, the index is settled. The wait is
 * as long as the transactions that were running, usually milliseconds; it is bounded by {@code settleTimeout}, after
 * which the highest index settled earlier is used. Nothing is assumed about clocks, and nothing is kept in one JVM
 * that another node would need: the database answers. This needs a sequence without a per-session cache (V1 creates
 * it with none) and readers that do not wait inside a transaction of their own.
 */
@Component
public class SettledHorizon {

    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    private final JdbcTemplate jdbc;
    private final Duration settleTimeout;
    private final AtomicLong settled = new AtomicLong();

    public SettledHorizon(JdbcTemplate jdbc, AuditProperties properties) {
        this.jdbc = jdbc;
        this.settleTimeout = properties.settleTimeout();
    }

    /** @return a global index such that no event at or below it can still appear */
    public long settledPosition() {
        long drawn = lastIndexDrawn();
        Set<String> running = runningTransactions();
        long deadline = System.nanoTime() + settleTimeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!running.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return settled.get();
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
            running.retainAll(runningTransactions());
        }
        return settled.accumulateAndGet(drawn, Math::max);
    }

    private long lastIndexDrawn() {
        Long drawn = jdbc.queryForObject(
                "select case when is_called then last_value else 0 end from domain_event_entry_seq", Long.class);
        return drawn == null ? 0 : drawn;
    }

    /** The virtual transaction ids of every transaction running now, but this session's own statement. */
    private Set<String> runningTransactions() {
        return new HashSet<>(jdbc.queryForList(
                "select virtualxid from pg_locks where locktype = 'virtualxid' and granted and pid <> pg_backend_pid()",
                String.class));
    }
}
