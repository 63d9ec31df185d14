package dev.latchkey.domain.connection;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a connection waits after consecutive failed refreshes when the provider named no {@code Retry-After}:
 * {@link #FIRST} doubled per failure, capped at {@link #MAX}, with "equal jitter" (half fixed, half spread). The
 * spread is derived from the connection id and the failure count, so the many connections of one provider outage
 * spread out, and replaying or testing a decision gives the same answer.
 */
public final class RefreshBackoff {

    public static final Duration FIRST = Duration.ofSeconds(5);

    /** Also the longest a provider's own {@code Retry-After} is honoured: beyond it the token would just expire. */
    public static final Duration MAX = Duration.ofHours(1);

    private RefreshBackoff() {}

    /** @param consecutiveFailures this failure included, at least 1 */
    public static Duration after(ConnectionId connection, int consecutiveFailures) {
        int doublings = Math.min(Math.max(consecutiveFailures, 1) - 1, 20);
        long ceiling = Math.min(FIRST.toMillis() << doublings, MAX.toMillis());
        double spread = new SplittableRandom(connection.value().hashCode() * 31L + consecutiveFailures).nextDouble();
        return Duration.ofMillis(ceiling / 2 + (long) (spread * (ceiling / 2)));
    }
}
