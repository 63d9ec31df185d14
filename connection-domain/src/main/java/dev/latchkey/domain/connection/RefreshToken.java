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
 * @param tokensAt the sequence number of the event that recorded the tokens the caller means (as its view shows
 *     them), or null: when newer tokens are recorded already, no refresh is needed (a late or repeated ask is
 *     answered without a second provider call)
 * @param tokensFailed the access token of {@code tokensAt} failed at the provider: refreshed though fresh and not
 *     throttled, but not while the provider is backed off
 */
public record RefreshToken(
        @TargetAggregateIdentifier ConnectionId connectionId,
        Duration refreshAhead,
        boolean force,
        Duration lease,
        Long tokensAt,
        boolean tokensFailed) {

    public RefreshToken(ConnectionId connectionId, Duration refreshAhead, boolean force, Duration lease) {
        this(connectionId, refreshAhead, force, lease, null, false);
    }
}
