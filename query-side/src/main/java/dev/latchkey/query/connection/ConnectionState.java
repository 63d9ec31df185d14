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
import java.time.Instant;
import java.util.List;

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
    long lastSequence;
    long lastPosition;

    void holdTokens(TokenSet tokens, Instant at) {
        status = ConnectionStatus.ACTIVE;
        accessToken = tokens.accessToken();
        refreshToken = tokens.refreshToken();
        accessTokenExpiresAt = tokens.accessTokenExpiresAt();
        scopes = tokens.scopes();
        tokenType = tokens.tokenType();
        tokenResponse = tokens.tokenResponse();
        authFailedAt = null;
        authFailedReason = null;
        retryAfter = null;
        updatedAt = at;
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
                accessTokenExpiresAt);
        ConnectionTokens tokens =
                accessToken == null ? null : new ConnectionTokens(accessToken, refreshToken, tokenType, tokenResponse);
        return new ConnectionRow(view, tokens, new RefreshState(refreshLeaseExpiresAt, retryAfter), lastSequence);
    }
}
