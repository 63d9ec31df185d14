package dev.latchkey.query.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * Active connections holding a refresh token whose access token expires before {@code expiringBefore}, with no
 * refresh lease and no {@code Retry-After} still holding at {@code now}; soonest expiry first, at most
 * {@code limit}, and only those ordered after {@code after} when it is given (a run pages forward and never sees a
 * row twice). For the refresh scheduler. Answers {@link ConnectionList}.
 *
 * @param after the last row of the previous page, or null for the first page
 */
public record FindConnectionsDueForRefresh(Instant expiringBefore, Instant now, int limit, Cursor after) {

    /** A position in the scheduler's order: access-token expiry, then connection id. */
    public record Cursor(Instant accessTokenExpiresAt, String connectionId) {

        public Cursor {
            Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
            Objects.requireNonNull(connectionId, "connectionId");
        }

        public static Cursor of(ConnectionRow row) {
            return new Cursor(
                    row.connection().accessTokenExpiresAt(),
                    row.connection().id().value());
        }
    }

    public FindConnectionsDueForRefresh {
        Objects.requireNonNull(expiringBefore, "expiringBefore");
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public FindConnectionsDueForRefresh(Instant expiringBefore, Instant now, int limit) {
        this(expiringBefore, now, limit, null);
    }
}
