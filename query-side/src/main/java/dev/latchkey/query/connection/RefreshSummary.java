package dev.latchkey.query.connection;

import java.time.Instant;

/**
 * What a connection's refreshes look like from outside (API.md, "Connections: more on each one"): nothing here is
 * secret.
 *
 * @param lastRefreshedAt when the tokens held were obtained (code exchange or refresh), or null
 * @param nextRefreshAt when the scheduler refreshes them ahead of expiry (later while a refresh is in flight or the
 *     provider is backed off), or null when time never refreshes them
 * @param refreshTokenExpiresAt when the refresh token lapses, as the provider said, or null
 * @param consecutiveFailures failed refreshes since tokens were last recorded
 * @param lastFailureAt when the last refresh failed, or null
 * @param lastFailureReason the classified reason of that failure (e.g. {@code timeout}, {@code http-503}), or null
 * @param retryAt until when refreshes are deferred after a failure, or null
 */
public record RefreshSummary(
        Instant lastRefreshedAt,
        Instant nextRefreshAt,
        Instant refreshTokenExpiresAt,
        int consecutiveFailures,
        Instant lastFailureAt,
        String lastFailureReason,
        Instant retryAt) {

    public static final RefreshSummary NONE = new RefreshSummary(null, null, null, 0, null, null, null);
}
