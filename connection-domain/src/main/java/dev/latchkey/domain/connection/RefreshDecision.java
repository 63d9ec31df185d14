package dev.latchkey.domain.connection;

import dev.latchkey.domain.secret.Sealed;
import java.time.Instant;
import java.util.List;

/** The answer to {@link RefreshToken}. */
public sealed interface RefreshDecision {

    /** Exchange {@code refreshToken} now and record the outcome against {@code decidedAt}. */
    record Proceed(long decidedAt, Sealed refreshToken, List<String> scopes) implements RefreshDecision {}

    /** The access token is fresh enough. */
    record NotNeeded() implements RefreshDecision {}

    /** Another refresh holds the lease; wait for its outcome. */
    record InFlight(Instant leaseExpiresAt) implements RefreshDecision {}

    /** The provider asked to wait (Retry-After) and the caller did not force it. */
    record Deferred(Instant retryAfter) implements RefreshDecision {}

    /**
     * A forced refresh asked for within {@link Connection#FORCED_REFRESH_SPACING} of the last refresh decision: try
     * again at {@code retryAt}. Decided from the event store, so it holds across nodes.
     */
    record Throttled(Instant retryAt) implements RefreshDecision {}

    /** Nothing to refresh with: pending, auth-failed, or no refresh token was ever issued. */
    record NotRefreshable(ConnectionStatus status, String why) implements RefreshDecision {}
}
