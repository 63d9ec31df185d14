package dev.latchkey.query.connection;

import java.time.Instant;

/**
 * What the view knows of a connection's refreshes, so a reader can tell, without a command, that a refresh is
 * already in flight or that the provider asked to wait. The aggregate stays the judge.
 *
 * @param leaseExpiresAt until when a refresh in flight holds the lease, or null
 * @param retryAfter the provider's {@code Retry-After} from the last failed refresh, or null
 * @param tokensRecordedAt the sequence number of the event that recorded the tokens the row holds, or null (none yet,
 *     or a row written before the view kept it)
 * @param refreshBy when the provider's keep-alive wants the grant refreshed, however long its access token lives, or
 *     null
 */
public record RefreshState(Instant leaseExpiresAt, Instant retryAfter, Long tokensRecordedAt, Instant refreshBy) {

    public boolean inFlightAt(Instant now) {
        return leaseExpiresAt != null && now.isBefore(leaseExpiresAt);
    }
}
