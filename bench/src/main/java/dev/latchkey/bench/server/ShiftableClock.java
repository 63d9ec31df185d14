package dev.latchkey.bench.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The application's clock, which the refresh benchmark moves forward so that the same connections are due again
 * for every repetition (instead of waiting an hour, or seeding new connections each time).
 */
final class ShiftableClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    ShiftableClock(Clock base) {
        this.base = base;
    }

    synchronized void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }
}
