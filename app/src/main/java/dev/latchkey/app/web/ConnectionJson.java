package dev.latchkey.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latchkey.app.connection.ConnectionAnswer;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.RefreshSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection as API.md returns it. The access token and its expiry appear only when the answer carries one
 * (a logic function of the connection's application); the refresh token never does. {@code credentialsError} says
 * why such a caller gets no token for an active connection (its application is uninstalled, or its tokens cannot be
 * unsealed). {@code type} is {@code oauth}, the only credential type so far; {@code connectionConfig} and
 * {@code metadata} are null until providers declare them.
 */
record ConnectionJson(
        String id,
        String applicationId,
        String providerName,
        String type,
        String name,
        String handle,
        String visibility,
        String userWorkspaceId,
        List<String> scopes,
        String status,
        Instant authFailedAt,
        String authFailedReason,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> connectionConfig,
        Map<String, String> metadata,
        Instant lastRefreshedAt,
        Instant nextRefreshAt,
        Instant refreshTokenExpiresAt,
        HealthJson health,
        @JsonInclude(JsonInclude.Include.NON_NULL) String accessToken,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant accessTokenExpiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String credentialsError) {

    /** A refresh token lapsing within this makes the connection's health {@code expiring}. */
    static final Duration EXPIRING_WITHIN = Duration.ofDays(7);

    /**
     * {@code retrying} while refreshes fail transiently (backing off until {@code retryAt}); else {@code expiring}
     * when the refresh token lapses within {@link #EXPIRING_WITHIN}; else {@code ok}. Only an active connection is
     * retrying or expiring: an auth-failed one says so in {@code status}, a pending one is {@code ok}.
     */
    record HealthJson(
            String state, int consecutiveFailures, Instant lastFailureAt, String lastFailureReason, Instant retryAt) {

        static HealthJson of(ConnectionView c, Instant now) {
            RefreshSummary r = c.refresh();
            boolean active = c.status() == ConnectionStatus.ACTIVE;
            boolean retrying = active && r.consecutiveFailures() > 0;
            boolean expiring = active
                    && r.refreshTokenExpiresAt() != null
                    && !r.refreshTokenExpiresAt().isAfter(now.plus(EXPIRING_WITHIN));
            String state = retrying ? "retrying" : expiring ? "expiring" : "ok";
            return new HealthJson(
                    state,
                    r.consecutiveFailures(),
                    r.lastFailureAt(),
                    r.lastFailureReason(),
                    retrying ? r.retryAt() : null);
        }
    }

    static ConnectionJson of(ConnectionAnswer answer, Instant now) {
        ConnectionView c = answer.connection();
        boolean withToken = answer.accessToken() != null;
        RefreshSummary refresh = c.refresh();
        return new ConnectionJson(
                c.id().value(),
                c.applicationId().value(),
                c.providerName().value(),
                "oauth",
                c.name(),
                c.handle(),
                c.visibility().wire(),
                c.userWorkspaceId().value(),
                c.scopes(),
                c.status().wire(),
                c.authFailedAt(),
                c.authFailedReason(),
                c.createdAt(),
                c.updatedAt(),
                null,
                null,
                refresh.lastRefreshedAt(),
                refresh.nextRefreshAt(),
                refresh.refreshTokenExpiresAt(),
                HealthJson.of(c, now),
                withToken ? answer.accessToken().reveal() : null,
                withToken ? c.accessTokenExpiresAt() : null,
                answer.credentialsError());
    }
}
