package dev.latchkey.bench.server;

import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Duration;
import java.util.OptionalLong;

/** The projections' positions, timing every read-your-writes wait into {@link PhaseTimes}. */
final class TimedProjectionPositions extends ProjectionPositions {

    private final ProjectionPositions delegate;
    private final PhaseTimes times;

    TimedProjectionPositions(ProjectionPositions delegate, PhaseTimes times) {
        super(null); // every call goes to the delegate
        this.delegate = delegate;
        this.times = times;
    }

    @Override
    public boolean awaitPosition(String projection, long position, Duration timeout) {
        long start = System.nanoTime();
        try {
            return delegate.awaitPosition(projection, position, timeout);
        } finally {
            times.add("wait for " + projection + " (read-your-writes)", System.nanoTime() - start);
        }
    }

    @Override
    public void advance(String projection, long position) {
        delegate.advance(projection, position);
    }

    @Override
    public void forget(String projection) {
        delegate.forget(projection);
    }

    @Override
    public OptionalLong position(String projection) {
        return delegate.position(projection);
    }
}
