package dev.latchkey.query.projection;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The highest global event position each streaming projection has applied (table {@code projection_position}),
 * and a way to wait for one: after a command, the caller waits for the position of the events it appended, and
 * its next read sees them (read-your-writes) while the projections stay asynchronous.
 *
 * <p>The position is the highest one applied, so it says "every earlier event is applied" only when one thread
 * applies the projection's events in order: run the projection's processor with one segment.
 */
public class ProjectionPositions {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(20);

    private final JdbcTemplate jdbc;

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
    }

    /** Forgets the position of a projection whose rows were just cleared for a replay. */
    public void forget(String projection) {
        jdbc.update("DELETE FROM projection_position WHERE name = ?", projection);
    }

    /** The highest position applied, or empty when the projection has applied nothing yet. */
    public OptionalLong position(String projection) {
        List<Long> positions =
                jdbc.queryForList("SELECT position FROM projection_position WHERE name = ?", Long.class, projection);
        return positions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(positions.get(0));
    }

    /**
     * Waits, polling with a short growing pause, until {@code projection} has applied {@code position}.
     *
     * @return true when it has, false when {@code timeout} passed first
     */
    public boolean awaitPosition(String projection, long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            if (position(projection).orElse(-1) >= position) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            pause(Math.min(pause.toNanos(), left));
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a projection", e);
        }
    }
}
