package dev.latchkey.query.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * Connections whose scheduled refresh ({@code nextRefreshAt}) is due at {@code now}: active, holding a refresh token
 * and an expiring access token, past any lease and backoff. Soonest first, at most {@code limit}, and only those
 * ordered after {@code after} when it is given (a run pages forward and never sees a row twice). For the refresh
 * scheduler. Answers {@link ConnectionList}.
 *
 * @param after the last row of the previous page, or null for the first page
 */
public record FindConnectionsDueForRefresh(Instant now, int limit, Cursor after) {

    /** A position in the scheduler's order: the scheduled refresh, then connection id. */
    public record Cursor(Instant nextRefreshAt, String connectionId) {

        public Cursor {
            Objects.requireNonNull(nextRefreshAt, "nextRefreshAt");
            Objects.requireNonNull(connectionId, "connectionId");
        }

        public static Cursor of(ConnectionRow row) {
            return new Cursor(
                    row.connection().refresh().nextRefreshAt(),
                    row.connection().id().value());
        }
    }

    public FindConnectionsDueForRefresh {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public FindConnectionsDueForRefresh(Instant now, int limit) {
        this(now, limit, null);
    }
}
