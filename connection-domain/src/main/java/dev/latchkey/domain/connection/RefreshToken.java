package dev.latchkey.domain.connection;

import java.time.Duration;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Decide whether to refresh now. Answers a {@link RefreshDecision}; when it is {@link RefreshDecision.Proceed} a
 * lease is recorded and the caller exchanges the refresh token, then records the outcome.
 *
 * @param refreshAhead refresh when the access token expires within this
 * @param force refresh even when the token is still fresh (an explicit refresh request)
 * @param lease how long the decision holds off other refreshes; longer than the provider timeout
 * @param failedTokensAt for a refresh because the access token failed at the provider: the sequence number of the
 *     event that recorded that token (the caller's view of it). When the connection holds newer tokens already, no
 *     refresh is needed; when it still holds those, the refresh is not throttled. Null otherwise.
 */
public record RefreshToken(
        @TargetAggregateIdentifier ConnectionId connectionId,
        Duration refreshAhead,
        boolean force,
        Duration lease,
        Long failedTokensAt) {

    public RefreshToken(ConnectionId connectionId, Duration refreshAhead, boolean force, Duration lease) {
        this(connectionId, refreshAhead, force, lease, null);
    }
}
