package dev.latchkey.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latchkey.app.connection.ConnectionAnswer;
import dev.latchkey.query.connection.ConnectionHealth;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.RefreshSummary;
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
        ConnectionHealth health,
        @JsonInclude(JsonInclude.Include.NON_NULL) String accessToken,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant accessTokenExpiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String credentialsError) {

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
                ConnectionHealth.of(c, now),
                withToken ? answer.accessToken().reveal() : null,
                withToken ? c.accessTokenExpiresAt() : null,
                answer.credentialsError());
    }
}
