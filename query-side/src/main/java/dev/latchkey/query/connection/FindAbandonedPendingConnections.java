package dev.latchkey.query.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * Pending connections (consent never completed) not changed since before {@code updatedBefore}, oldest first, at most
 * {@code limit}: for the job that expires them. Answers {@link ConnectionList}.
 */
public record FindAbandonedPendingConnections(Instant updatedBefore, int limit) {

    public FindAbandonedPendingConnections {
        Objects.requireNonNull(updatedBefore, "updatedBefore");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
