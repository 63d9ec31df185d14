package dev.latchkey.query.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * Active connections holding a refresh token whose access token expires before {@code expiringBefore}, with no
 * refresh lease and no {@code Retry-After} still holding at {@code now}; soonest expiry first, at most
 * {@code limit}. For the refresh scheduler. Answers {@link ConnectionList}.
 */
public record FindConnectionsDueForRefresh(Instant expiringBefore, Instant now, int limit) {

    public FindConnectionsDueForRefresh {
        Objects.requireNonNull(expiringBefore, "expiringBefore");
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
