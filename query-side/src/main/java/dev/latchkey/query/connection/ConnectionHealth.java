package dev.latchkey.query.connection;

import dev.latchkey.domain.connection.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * A connection's {@code health} as API.md answers it: {@code retrying} while refreshes fail transiently (backing
 * off until {@code retryAt}); else {@code expiring} when the refresh token lapses within {@link #EXPIRING_WITHIN};
 * else {@code ok}. Only an active connection is retrying or expiring: an auth-failed one says so in its
 * {@code status}, a pending one is {@code ok}. {@link ConnectionQueries#countByHealth} counts by the same rule in SQL.
 */
public record ConnectionHealth(
        String state, int consecutiveFailures, Instant lastFailureAt, String lastFailureReason, Instant retryAt) {

    public static final String OK = "ok";
    public static final String RETRYING = "retrying";
    public static final String EXPIRING = "expiring";

    /** A refresh token lapsing within this makes the connection {@code expiring}. */
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(7);

    public static ConnectionHealth of(ConnectionView connection, Instant now) {
        RefreshSummary r = connection.refresh();
        boolean active = connection.status() == ConnectionStatus.ACTIVE;
        boolean retrying = active && r.consecutiveFailures() > 0;
        boolean expiring = active
                && r.refreshTokenExpiresAt() != null
                && !r.refreshTokenExpiresAt().isAfter(now.plus(EXPIRING_WITHIN));
        return new ConnectionHealth(
                retrying ? RETRYING : expiring ? EXPIRING : OK,
                r.consecutiveFailures(),
                r.lastFailureAt(),
                r.lastFailureReason(),
                retrying ? r.retryAt() : null);
    }
}
