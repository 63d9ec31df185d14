package dev.latchkey.query.projection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The highest global event position each streaming projection has applied (table {@code projection_position}),
 * and a way to wait for one: after a command, the caller waits for the position of the events it appended, and
 * its next read sees them (read-your-writes) while the projections stay asynchronous.
 *
 * <p>The position is the highest one applied, so it says "every earlier event is applied" only when one thread
 * applies the projection's events in order: run the projection's processor with one segment.
 *
 * <p>A waiter on the node that runs the projection is woken as soon as the position it waits for is committed, and
 * needs no query once it is: the positions committed here are also kept in memory. A projection running on another
 * node is followed by reading the table, at most every {@value #LONGEST_PAUSE_MILLIS} ms.
 */
public class ProjectionPositions {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_PAUSE_MILLIS = 20;

    private final JdbcTemplate jdbc;
    /** What this node committed, per projection; absent when it committed nothing (or forgot it since). */
    private final Map<String, Long> committedHere = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();

    public ProjectionPositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that {@code projection} applied events up to {@code position}; never moves a position back. */
    public void advance(String projection, long position) {
        if (position < 0) {
            return;
        }
        jdbc.update("""
                INSERT INTO projection_position (name, position, updated_at) VALUES (?, ?, now())
                ON CONFLICT (name) DO UPDATE
                    SET position = GREATEST(projection_position.position, EXCLUDED.position), updated_at = now()
                """, projection, position);
        afterCommit(() -> {
            committedHere.merge(projection, position, Math::max);
            wakeWaiters();
        });
    }

    /** Forgets the position of a projection whose rows were just cleared for a replay. */
    public void forget(String projection) {
        jdbc.update("DELETE FROM projection_position WHERE name = ?", projection);
        committedHere.remove(projection);
    }

    /** The highest position applied, or empty when the projection has applied nothing yet. */
    public OptionalLong position(String projection) {
        List<Long> positions =
                jdbc.queryForList("SELECT position FROM projection_position WHERE name = ?", Long.class, projection);
        return positions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(positions.get(0));
    }

    /**
     * Waits until {@code projection} has applied {@code position}: woken when this node commits it, and reading the
     * table with a short growing pause for a projection that another node runs.
     *
     * @return true when it has, false when {@code timeout} passed first
     */
    public boolean awaitPosition(String projection, long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            if (committedHere(projection) >= position || position(projection).orElse(-1) >= position) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitCommit(projection, position, Math.min(pause, left));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(LONGEST_PAUSE_MILLIS));
        }
    }

    private long committedHere(String projection) {
        return committedHere.getOrDefault(projection, -1L);
    }

    /** Returns when this node commits {@code position} of {@code projection}, or after {@code nanos}. */
    private void awaitCommit(String projection, long position, long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && committedHere(projection) < position) {
                left = committed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a projection", e);
        } finally {
            lock.unlock();
        }
    }

    private void wakeWaiters() {
        lock.lock();
        try {
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** After the surrounding transaction commits (a rolled-back batch wakes nobody), or now without one. */
    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
