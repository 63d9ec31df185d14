package dev.latchkey.query.projection;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of writes run in the order their events came, then the projection's position: for projections whose
 * events are rare enough that a statement or two per event costs nothing worth folding away.
 */
public final class OrderedWrites implements ProjectionBatch {

    private final String projection;
    private final ProjectionPositions positions;
    private final List<Runnable> writes = new ArrayList<>();
    private long position = -1;

    public OrderedWrites(String projection, ProjectionPositions positions) {
        this.projection = projection;
        this.positions = positions;
    }

    public void add(Applied applied, Runnable write) {
        writes.add(write);
        position = Math.max(position, applied.position());
    }

    /** An event that changes nothing here still moves the position past it. */
    public void pass(long eventPosition) {
        position = Math.max(position, eventPosition);
    }

    @Override
    public void flush() {
        writes.forEach(Runnable::run);
        writes.clear();
        positions.advance(projection, position);
    }
}
