package dev.latchkey.query.projection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A batch of writes run in the order their events came, then the projection's position: for projections whose
 * events are rare enough that a statement or two per event costs nothing worth folding away. Each write runs in a
 * savepoint: when the database refuses one for what it says, its sequence is remembered in {@link RefusedSequences}
 * (its later writes in the batch are skipped) and the batch fails, so that delivered again the sequence's events are
 * parked by the dead-letter queue and every other sequence is written.
 */
public final class OrderedWrites implements ProjectionBatch {

    private record Write(String sequence, long position, Runnable run) {}

    private final String projection;
    private final JdbcTemplate jdbc;
    private final ProjectionPositions positions;
    private final RefusedSequences refused;
    private final List<Write> writes = new ArrayList<>();
    private long position = -1;

    public OrderedWrites(
            String projection, JdbcTemplate jdbc, ProjectionPositions positions, RefusedSequences refused) {
        this.projection = projection;
        this.jdbc = jdbc;
        this.positions = positions;
        this.refused = refused;
    }

    /** {@code write} changes the rows of {@code sequence} (the aggregate the event belongs to). */
    public void add(String sequence, Applied applied, Runnable write) {
        writes.add(new Write(sequence, applied.position(), write));
        position = Math.max(position, applied.position());
    }

    @Override
    public void flush() {
        RebuildableCommit.apply(jdbc);
        Set<String> refusedHere = new HashSet<>();
        for (Write write : writes) {
            if (refusedHere.contains(write.sequence())) {
                continue;
            }
            Savepoints.attempt(jdbc, write.run()).ifPresent(failure -> {
                if (!EventRefusals.belongToTheEvents(failure)) {
                    throw failure;
                }
                long upTo = writes.stream()
                        .filter(other -> other.sequence().equals(write.sequence()))
                        .mapToLong(Write::position)
                        .max()
                        .orElse(write.position());
                refused.refuse(write.sequence(), upTo, EventRefusals.describe(projection, failure));
                refusedHere.add(write.sequence());
            });
        }
        writes.clear();
        if (!refusedHere.isEmpty()) {
            throw EventRefusals.batchFailed(projection, refusedHere.size());
        }
        positions.advance(projection, position);
    }
}
