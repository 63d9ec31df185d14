package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One row of {@code connection_view} while a batch folds events into it. Mutable, and never leaves the package. */
final class ConnectionState {

    ConnectionId connectionId;
    WorkspaceId workspaceId;
    ApplicationId applicationId;
    ProviderName providerName;
    String name;
    String handle;
    Visibility visibility;
    UserWorkspaceId owner;
    List<String> scopes = List.of();
    ConnectionStatus status;
    Instant authFailedAt;
    String authFailedReason;
    Instant createdAt;
    Instant updatedAt;
    Sealed accessToken;
    Instant accessTokenExpiresAt;
    Sealed refreshToken;
    String tokenType;
    Sealed tokenResponse;
    /** Sequence number of the RefreshStarted whose outcome is awaited, or null. */
    Long refreshDecidedAt;

    Instant refreshLeaseExpiresAt;
    Instant retryAfter;
    /** Sequence number of the event that recorded the tokens held, or null. */
    Long tokensRecordedAt;

    Instant lastRefreshedAt;
    Instant refreshTokenExpiresAt;
    Instant refreshBy;
    int consecutiveFailures;
    Instant lastFailureAt;
    String lastFailureReason;
    /** As stored: written from {@link #refreshDueAt}, read back for answers. */
    Instant nextRefreshAt;

    long lastSequence;
    long lastPosition;

    /** The most of a token's lifetime the jitter takes off its refresh time (API.md: at most 10 %). */
    static final int JITTER_PERCENT = 10;

    void holdTokens(TokenSet tokens, Instant at, long sequence) {
        status = ConnectionStatus.ACTIVE;
        accessToken = tokens.accessToken();
        refreshToken = tokens.refreshToken();
        accessTokenExpiresAt = tokens.accessTokenExpiresAt();
        scopes = tokens.scopes();
        tokenType = tokens.tokenType();
        tokenResponse = tokens.tokenResponse();
        refreshTokenExpiresAt = tokens.refreshTokenExpiresAt();
        refreshBy = tokens.refreshBy();
        tokensRecordedAt = sequence;
        lastRefreshedAt = at;
        authFailedAt = null;
        authFailedReason = null;
        retryAfter = null;
        consecutiveFailures = 0;
        updatedAt = at;
    }

    void failedToRefresh(Instant at, String reason, Instant deferredUntil) {
        retryAfter = deferredUntil;
        consecutiveFailures++;
        lastFailureAt = at;
        lastFailureReason = reason;
    }

    /**
     * When the scheduler should look at this connection next: {@code refreshAhead} before its access token expires,
     * less a jitter of at most {@value #JITTER_PERCENT} % of the token's lifetime and at most half the time before
     * that (fixed per connection and token, so
     * connections connected together spread out and a rewrite of the row does not move it); a token that lives
     * less than {@code refreshAhead} halfway through its life; {@code refreshAhead} before the provider's keep-alive
     * when that comes first. Never before the lease or the backoff ends. Null when time never refreshes it: not
     * active, no refresh token, or neither an expiry nor a keep-alive.
     */
    Instant refreshDueAt(Duration refreshAhead) {
        if (status != ConnectionStatus.ACTIVE || accessToken == null || refreshToken == null) {
            return null;
        }
        Instant next = byExpiry(refreshAhead);
        if (refreshBy != null && (next == null || refreshBy.minus(refreshAhead).isBefore(next))) {
            next = refreshBy.minus(refreshAhead);
        }
        if (next == null) {
            return null;
        }
        if (retryAfter != null && retryAfter.isAfter(next)) {
            next = retryAfter;
        }
        if (refreshLeaseExpiresAt != null && refreshLeaseExpiresAt.isAfter(next)) {
            next = refreshLeaseExpiresAt;
        }
        return next;
    }

    private Instant byExpiry(Duration refreshAhead) {
        if (accessTokenExpiresAt == null) {
            return null;
        }
        Instant obtained = lastRefreshedAt == null ? accessTokenExpiresAt : lastRefreshedAt;
        Duration lifetime = Duration.between(obtained, accessTokenExpiresAt);
        if (lifetime.compareTo(refreshAhead) <= 0) {
            return obtained.plus(lifetime.dividedBy(2));
        }
        // at most a tenth of the lifetime, and at most half the time before the refresh-ahead: a fresh token is
        // never due at once
        long spread = Math.max(
                1,
                Math.min(
                        lifetime.toMillis() * JITTER_PERCENT / 100,
                        lifetime.minus(refreshAhead).toMillis() / 2));
        long jitter = Math.floorMod(Objects.hash(connectionId.value(), tokensRecordedAt), spread);
        return accessTokenExpiresAt.minus(refreshAhead).minusMillis(jitter);
    }

    void dropTokens() {
        accessToken = null;
        refreshToken = null;
        accessTokenExpiresAt = null;
        tokenResponse = null;
    }

    /** A refresh outcome ends the lease only when it answers the refresh that holds it. */
    void releaseLeaseOf(long decidedAt) {
        if (refreshDecidedAt != null && refreshDecidedAt == decidedAt) {
            refreshDecidedAt = null;
            refreshLeaseExpiresAt = null;
        }
    }

    ConnectionRow toRow() {
        ConnectionView view = new ConnectionView(
                connectionId,
                workspaceId,
                applicationId,
                providerName,
                name,
                handle,
                visibility,
                owner,
                scopes,
                status,
                authFailedAt,
                authFailedReason,
                createdAt,
                updatedAt,
                accessTokenExpiresAt,
                new RefreshSummary(
                        lastRefreshedAt,
                        nextRefreshAt,
                        refreshTokenExpiresAt,
                        consecutiveFailures,
                        lastFailureAt,
                        lastFailureReason,
                        retryAfter));
        ConnectionTokens tokens =
                accessToken == null ? null : new ConnectionTokens(accessToken, refreshToken, tokenType, tokenResponse);
        return new ConnectionRow(
                view,
                tokens,
                new RefreshState(refreshLeaseExpiresAt, retryAfter, tokensRecordedAt, refreshBy),
                lastSequence);
    }
}
