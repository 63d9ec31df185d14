package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import java.time.Instant;
import java.util.List;

/**
 * A connection's public fields, as API.md returns them (the access token aside): nothing here is secret, sealed or
 * not. {@code status} is never {@code revoked}: a revoked connection is no longer in the view.
 *
 * @param handle null until the provider told who the account is
 * @param authFailedAt set when the grant was refused for good; cleared by new tokens
 * @param accessTokenExpiresAt null while pending, or when the provider gave no {@code expires_in}
 * @param refresh what its refreshes look like from outside
 */
public record ConnectionView(
        ConnectionId id,
        WorkspaceId workspaceId,
        ApplicationId applicationId,
        ProviderName providerName,
        String name,
        String handle,
        Visibility visibility,
        UserWorkspaceId userWorkspaceId,
        List<String> scopes,
        ConnectionStatus status,
        Instant authFailedAt,
        String authFailedReason,
        Instant createdAt,
        Instant updatedAt,
        Instant accessTokenExpiresAt,
        RefreshSummary refresh) {

    public ConnectionView {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        refresh = refresh == null ? RefreshSummary.NONE : refresh;
    }
}
